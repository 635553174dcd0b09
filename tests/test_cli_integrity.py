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


# item 7: only ingest, import and users add create a store; nobody changes another application's file

READERS = (("stats",), ("claims",), ("entity", "CSIS"), ("audit",), ("graph", "central"),
           ("graph", "brokers"), ("export", "-f", "jsonl"), ("users", "list"), ("undo", "1"),
           ("entity", "merge", "A", "B"), ("review", "claim", "1", "accepted"), ("users", "remove", "ana"),
           ("serve",))


@pytest.mark.parametrize("args", READERS, ids=lambda args: "-".join(args))
def test_commands_that_only_read_never_create_a_store(tmp_path: Path, args: tuple[str, ...]) -> None:
    one_line(fw(*args, "--db", str(tmp_path / "fw.db")), 1, "no store at", "fw.db")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_not_a_store_for_readers(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    one_line(fw("stats", "--db", str(empty)), 1, "no store at", "empty")
    assert empty.read_bytes() == b""


def _other_application(path: Path) -> bytes:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_another_applications_sqlite_file_is_left_alone(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "notes.db"
    before = _other_application(other)
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(BUNDLE), encoding="utf-8")
    for args in (("stats",), ("graph", "brokers"), ("import", "stix", str(bundle)), ("ingest", str(bundle)),
                 ("users", "add", "ana", "--password-stdin")):
        one_line(fw(*args, "--db", str(other), stdin="correct horse battery\n"), 1, str(other),
                 "not a frontwatch store")
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.json", "notes.db"]  # no -wal, no .lock
    conn = sqlite3.connect(other)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_creating_commands_still_create(tmp_path: Path, store: Path, empty_store: Path) -> None:
    for db in (store, empty_store):
        done = fw("stats", "--json", "--db", str(db))
        assert done.returncode == 0, done.stderr
    assert json.loads(fw("stats", "--json", "--db", str(store)).stdout)["entities"] == 2


# item 12: broken stores and URLs end in one line


def test_broken_stores_end_in_one_line(tmp_path: Path, store: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database\n" * 400)
    for args in (("stats",), ("users", "add", "ana", "--password-stdin")):
        one_line(fw(*args, "--db", str(junk), stdin="correct horse battery\n"), 1, str(junk),
                 "not a database")
    nowhere = tmp_path / "no" / "such" / "fw.db"
    for args in (("stats",), ("import", "stix", str(tmp_path / "bundle.json")),
                 ("users", "add", "ana", "--password-stdin")):
        one_line(fw(*args, "--db", str(nowhere), stdin="correct horse battery\n"), 1,
                 f"folder {nowhere.parent} does not exist")
    for url, word in (("mysql://u@localhost/db", "unsupported URL scheme 'mysql'"),
                      ("ftp://example.com/fw.db", "unsupported URL scheme 'ftp'"),
                      ("postgresql+asyncpg://u@localhost/db", "no driver")):
        one_line(fw("stats", "--db", url), 1, word)


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path, store: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(store)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    for args in (("stats",), ("import", "stix", str(tmp_path / "bundle.json"))):
        one_line(fw(*args, "--db", str(store)), 1, "schema revision '0099_from_the_future' is unknown")


def _corrupt(store: Path, tables: tuple[str, ...] | None = None) -> None:
    """Overwrite the pages of `tables` (every page but the first when None) with junk."""
    import sqlite3

    conn = sqlite3.connect(store)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    if tables is None:
        pages = list(range(2, store.stat().st_size // size + 1))
    else:
        marks = ",".join("?" * len(tables))
        pages = [n for (n,) in conn.execute(f"SELECT pageno FROM dbstat WHERE name IN ({marks})", tables)]
    conn.close()
    data = bytearray(store.read_bytes())
    for n in pages:
        data[(n - 1) * size:n * size] = bytes((i * 7 + 3) % 256 for i in range(size))
    store.write_bytes(bytes(data))


@pytest.mark.parametrize("tables", [None, ("claims", "entities")], ids=["all", "data"])
def test_a_corrupted_store_ends_in_one_line(store: Path, tables: tuple[str, ...] | None) -> None:
    _corrupt(store, tables)
    for args in (("stats",), ("claims",), ("graph", "brokers"), ("export", "-f", "jsonl"), ("entity", "1"),
                 ("entity", "merge", "1", "2")):
        done = fw(*args, "--db", str(store))
        one_line(done, 1, "store")
        assert "malformed" in done.stderr or "not a database" in done.stderr


def test_ingest_names_an_unsupported_url_scheme(tmp_path: Path) -> None:
    done = fw("ingest", "ftp://example.com/report.txt", "--db", str(tmp_path / "fw.db"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "skipped ftp://example.com/report.txt: unsupported URL scheme 'ftp' (http and https only)" \
        in done.stderr
