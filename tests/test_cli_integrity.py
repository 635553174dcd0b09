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
