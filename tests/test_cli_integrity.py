"""Data integrity and hostile input at the command line (issue 13, items 6, 7, 11 and 12): outputs never
overwrite inputs, read-only commands never create or change a store, CSV cells never run as formulas,
and a broken store, folder, revision or URL ends in one line, never a traceback."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

FORMULA = '=HYPERLINK("http://evil.example","x")'
BUNDLE = {"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "threat-actor", "spec_version": "2.1",
     "id": "threat-actor--00000000-0000-4000-8000-000000000001", "name": FORMULA},
    {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-000000000002",
     "name": "@SUM(1+1)", "identity_class": "organization"},
    {"type": "relationship", "spec_version": "2.1",
     "id": "relationship--00000000-0000-4000-8000-000000000003", "relationship_type": "targets",
     "source_ref": "threat-actor--00000000-0000-4000-8000-000000000001",
     "target_ref": "identity--00000000-0000-4000-8000-000000000002", "description": "-2+3 said the report"},
]}


def fw(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwatch", *args], capture_output=True, text=True,
                          timeout=300, input=stdin)


def one_line(done: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """The command failed with `code` and said so in one line containing `words`."""
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A small store with formula-like names, made by `import stix` (no spaCy)."""
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(BUNDLE), encoding="utf-8")
    db = tmp_path / "fw.db"
    done = fw("import", "stix", str(bundle), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    """A store with a user and nothing else (`users add` creates it)."""
    db = tmp_path / "empty.db"
    done = fw("users", "add", "ana", "--role", "admin", "--password-stdin", "--db", str(db),
              stdin="correct horse battery\n")
    assert done.returncode == 0, done.stderr
    return db


# item 11: CSV injection


def test_csv_export_neutralises_formulas(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    done = fw("export", "-f", "csv", "-o", str(out), "--db", str(store))
    assert done.returncode == 0, done.stderr
    with (out / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        names = {row["name"] for row in csv.DictReader(fh)}
    assert names == {"'" + FORMULA, "'@SUM(1+1)"}
    with (out / "edges.csv").open(newline="", encoding="utf-8") as fh:
        (edge,) = list(csv.DictReader(fh))
    assert edge["source_name"] == "'" + FORMULA and edge["evidence"] == "'-2+3 said the report"
    assert edge["sources"] == "1" and edge["confidence"] == "1.0"  # numbers stay numbers
    raw = (out / "edges.csv").read_text(encoding="utf-8")
    assert raw.startswith('"id","source",') and ',"1",' in raw  # every cell quoted
    for text in (raw, (out / "nodes.csv").read_text(encoding="utf-8")):
        for cell in next(csv.reader(text.splitlines()[1:])):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_cells_starting_with_tab_or_cr_are_neutralised() -> None:
    from frontwatch.export.csv import neutralise

    assert [neutralise(v) for v in ("\tx", "\rx", "+1", "a=b", 3, -1.5, "")] == \
        ["'\tx", "'\rx", "'+1", "a=b", 3, -1.5, ""]


# item 12: no traceback


def test_graph_on_an_empty_network(empty_store: Path) -> None:
    for command in ("brokers", "communities", "central"):
        done = fw("graph", command, "--json", "--db", str(empty_store))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        data = json.loads(done.stdout)
        assert data.get("brokers", data.get("communities", data.get("entities"))) == []
    done = fw("graph", "brokers", "--db", str(empty_store))
    assert done.returncode == 0 and "brokers between communities" in done.stdout, done.stderr


# item 6: outputs never overwrite inputs


def test_export_refuses_to_overwrite_the_store(store: Path, tmp_path: Path) -> None:
    before = store.read_bytes()
    (tmp_path / "sub").mkdir()
    for fmt, target in (("stix", store), ("jsonl", tmp_path / "sub" / ".." / "fw.db"),
                        ("gexf", Path(f"{store}-wal")), ("graphml", Path(f"{store}.lock"))):
        one_line(fw("export", "-f", fmt, "-o", str(target), "--db", str(store)), 2, "refusing to write",
                 "store")
    link = tmp_path / "link.json"
    link.symlink_to(store)
    one_line(fw("export", "-f", "ftm", "-o", str(link), "--db", str(store)), 2, str(link), "store")
    named = tmp_path / "nodes.csv"
    named.write_bytes(before)
    one_line(fw("export", "-f", "csv", "-o", str(tmp_path), "--db", str(named)), 2, "nodes.csv")
    assert store.read_bytes() == before and named.read_bytes() == before
    assert fw("stats", "--json", "--db", str(store)).returncode == 0
    done = fw("export", "-f", "stix", "-o", str(tmp_path / "ok.json"), "--db", str(store))
    assert done.returncode == 0, done.stderr


def test_extract_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    text = json.dumps({"id": "a", "text": "The Ministry of State Security recruited a student."}) + "\n"
    source.write_text(text, encoding="utf-8")
    one_line(fw("extract", str(source), "--out", str(source)), 2, "refusing to write", str(source))
    one_line(fw("extract", str(tmp_path / "x.txt"), str(source), "-o", str(tmp_path / "." / "docs.jsonl")),
             2, "input")
    one_line(fw("extract", str(tmp_path), "--out", str(tmp_path / "new" / "out.jsonl")), 2,
             "inside the input folder")
    assert source.read_text(encoding="utf-8") == text
    assert not (tmp_path / "new").exists()
