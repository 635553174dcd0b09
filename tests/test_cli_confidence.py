"""`--min-confidence` on `frontwatch extract` and `frontwatch ingest`, run as a user runs them: claims
below the threshold are left out, the rest are untouched, and a bad value is one line and exit status 2
(before any model loads)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
ARTICLES = [CORPUS / "01-china-police-stations-new-york.txt",
            CORPUS / "05-russia-voice-of-europe-payments.txt"]


def fw(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwatch", *map(str, args)], capture_output=True,
                          text=True, timeout=300, check=False)


def records(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize("command", ["extract", "ingest"])
@pytest.mark.parametrize("value", ["1.5", "-0.1", "abc", "nan", ""])
def test_a_bad_min_confidence_is_one_line_and_exit_2(command: str, value: str, tmp_path: Path) -> None:
    args = ["--db", str(tmp_path / "fw.db")] if command == "ingest" else []
    done = fw(command, ARTICLES[0], "--min-confidence", value, *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [f"frontwatch: --min-confidence must be a number from 0 to 1, not {value!r}"]
    assert not (tmp_path / "fw.db").exists()  # refused before the store was opened


def test_extract_min_confidence_keeps_exactly_the_claims_at_or_above_it() -> None:
    everything = records(fw("extract", *ARTICLES))
    assert all(0.0 <= c["confidence"] <= 1.0 for r in everything for c in r["claims"])
    assert sum(len(r["claims"]) for r in everything) > 0
    for threshold in ("1.0", "0.5"):
        kept = records(fw("extract", *ARTICLES, "--min-confidence", threshold))
        want = [[c for c in r["claims"] if c["confidence"] >= float(threshold)] for r in everything]
        assert [r["claims"] for r in kept] == want
        # entities and documents are untouched: only claims are dropped
        assert [r["entities"] for r in kept] == [r["entities"] for r in everything]
    # the rules' claims have confidence 1.0: --min-confidence 1.0 keeps every one of them
    ones = sum(c["confidence"] == 1.0 for r in everything for c in r["claims"])
    kept = records(fw("extract", *ARTICLES, "--min-confidence", "1"))
    assert sum(len(r["claims"]) for r in kept) == ones
    assert records(fw("extract", *ARTICLES, "--min-confidence", "0")) == everything


def test_ingest_min_confidence_stores_only_confident_claims(tmp_path: Path) -> None:
    db = tmp_path / "fw.db"
    done = fw("ingest", *ARTICLES, "--db", db, "--min-confidence", "1.0")
    assert done.returncode == 0, done.stderr
    claims = json.loads(fw("claims", "--json", "--db", db).stdout)
    assert all(c["confidence"] == 1.0 for c in claims)
    assert all(s["confidence"] == 1.0 for c in claims for s in c["sources"])
    extracted = records(fw("extract", *ARTICLES, "--min-confidence", "1.0"))
    assert bool(claims) == any(r["claims"] for r in extracted)
