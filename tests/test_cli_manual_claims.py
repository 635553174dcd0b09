"""`claims add`, `claims edit`, `notes`, `audit` and `undo` as a user runs them (issue 14 item 1):
one line and no traceback for bad input, the store unchanged after a refusal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "store" / "reports.jsonl"
SENTENCE = "Karan Singh met Amrit Singh in Surrey."


def fw(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "frontwatch", *args, "--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FRONTWATCH_USER": "ana", "COLUMNS": "200"})


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("manual") / "fw.db"
    done = subprocess.run([sys.executable, "-m", "frontwatch", "ingest", str(FIXTURE), "--db", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return path


def claims(db: Path, *args: str) -> list[dict]:
    done = fw("claims", *args, "--json", db=db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_add_edit_note_audit_undo(db: Path) -> None:
    added = fw("claims", "add", "--document", "post-2", "--sentence", SENTENCE, "--subject", "Karan Singh",
               "--predicate", "recruits", "--object", "Amrit Singh", "--attributed-to", "CSIS",
               "--tactic", "espionage", "--date", "2023-04", "--json", db=db)
    assert added.returncode == 0, added.stderr
    made = json.loads(added.stdout)
    assert made["claim"]["alleged_by"] == ["CSIS"] and made["claim"]["reviewed_by"] == "ana"
    [listed] = claims(db, "--predicate", "recruits")
    assert listed["id"] == made["claim"]["id"] and listed["sources"][0]["evidence"] == SENTENCE

    edited = fw("claims", "edit", str(listed["id"]), "--stance", "asserted", "--attributed-to", "",
                "--object", "Wen Bo", db=db)
    assert edited.returncode == 0, edited.stderr
    assert f"undo with: frontwatch undo {made['audit_id'] + 1}" in edited.stdout
    [now] = claims(db, "--predicate", "recruits")
    assert (now["object"], now["stance"], now["alleged_by"]) == ("Wen Bo", "asserted", [])

    noted = fw("notes", "claim", str(now["id"]), "--add", "ask CSIS for the report", db=db)
    assert noted.returncode == 0 and "1 notes on claim Karan Singh recruits Wen Bo" in noted.stdout

    log = json.loads(fw("audit", "--json", db=db).stdout)
    assert [e["action"] for e in log[:3]] == ["note", "edit_claim", "add_claim"]
    assert (log[1]["before"]["object"], log[1]["after"]["object"]) == ("Amrit Singh", "Wen Bo")
    assert fw("undo", str(log[0]["id"]), db=db).returncode == 0
    assert fw("notes", "claim", str(now["id"]), db=db).stdout.startswith("0 notes on claim")
    for entry in (log[1]["id"], log[2]["id"]):
        done = fw("undo", str(entry), db=db)
        assert done.returncode == 0, done.stderr
    assert claims(db, "--predicate", "recruits") == []


@pytest.mark.parametrize(("args", "message"), [
    (("add", "--predicate", "bribes"), "unknown predicate 'bribes'"),
    (("add", "--tactic", "mind_control"), "unknown tactic 'mind_control'"),
    (("add", "--stance", "probably"), "unknown stance 'probably'"),
    (("add", "--sentence", "Nobody said this."), "has no sentence 'Nobody said this.'"),
    (("add", "--subject", "Li Wei"), "no entity named 'Li Wei': give its type"),
    (("edit", "99999", "--stance", "denied"), "no claim with id 99999"),
    (("edit", "1"), "nothing to change"),
])
def test_bad_input_is_one_line(db: Path, args: tuple[str, ...], message: str) -> None:
    base = {"--document": "post-2", "--sentence": SENTENCE, "--subject": "Karan Singh",
            "--predicate": "recruits", "--object": "Amrit Singh"}
    given = list(args)
    if args[0] == "add":
        for key, value in base.items():
            if key not in given:
                given += [key, value]
    before = len(claims(db))
    done = fw("claims", *given, db=db)
    assert done.returncode == 1, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("frontwatch: "), done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(claims(db)) == before
