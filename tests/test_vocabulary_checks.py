"""Issue 13 item 5: a review, an API edit or an import can only store values of our vocabularies
(predicates, tactics, entity types), since they are exported again (a STIX relationship type, a tag)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from test_cli_integrity import fw

from frontwatch.errors import SourceError
from frontwatch.importers import ftm as ftm_import
from frontwatch.importers import stix as stix_import

REL = "relationship--00000000-0000-4000-8000-000000000003"
BUNDLE = {"type": "bundle", "id": "bundle--1", "objects": [
    {"type": "threat-actor", "spec_version": "2.1",
     "id": "threat-actor--00000000-0000-4000-8000-000000000001", "name": "Harbour Bureau"},
    {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-000000000002",
     "name": "Lake Society", "identity_class": "organization"},
    {"type": "relationship", "spec_version": "2.1", "id": REL, "relationship_type": "related-to",
     "source_ref": "threat-actor--00000000-0000-4000-8000-000000000001",
     "target_ref": "identity--00000000-0000-4000-8000-000000000002",
     "x_frontwatch_predicate": "funds", "x_frontwatch_tactic": "covert_funding",
     "description": "The Harbour Bureau funds the Lake Society, a newspaper said."},
]}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(BUNDLE), encoding="utf-8")
    db = tmp_path / "fw.db"
    done = fw("import", "stix", str(bundle), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize(("args", "word"), [
    (("claim", "1", "accepted", "--predicate", "hates"), "unknown predicate 'hates'"),
    (("claim", "1", "accepted", "--tactic", "nonsense"), "unknown tactic 'nonsense'"),
    (("entity", "Lake Society", "accepted", "--type", "alien"), "unknown type 'alien'"),
    (("claim", "1", "accepted", "--name", "X"), "cannot change 'name'"),
], ids=["predicate", "tactic", "type", "claim-name"])
def test_review_refuses_values_outside_the_vocabularies(store: Path, args: tuple[str, ...],
                                                      word: str) -> None:
    before = fw("claims", "--json", "--db", str(store)).stdout
    done = fw("review", *args, "--by", "ana", "--db", str(store))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and word in done.stderr, done.stderr
    assert fw("claims", "--json", "--db", str(store)).stdout == before  # nothing stored
    assert "review" not in fw("audit", "--db", str(store)).stdout


def test_review_accepts_vocabulary_values(store: Path) -> None:
    done = fw("review", "claim", "1", "accepted", "--predicate", "supports",
              "--tactic", "political_influence", "--by", "ana", "--db", str(store))
    assert done.returncode == 0, done.stderr
    claims = json.loads(fw("claims", "--json", "--db", str(store)).stdout)
    assert [(c["predicate"], c["tactic"]) for c in claims] == [("supports", "political_influence")]


@pytest.mark.parametrize(("key", "value"), [("x_frontwatch_tactic", "nonsense"),
                                            ("x_frontwatch_predicate", "hates")])
def test_stix_import_skips_a_relationship_with_an_unknown_value(tmp_path: Path, key: str, value: str) -> None:
    bundle = copy.deepcopy(BUNDLE)
    bundle["objects"][2][key] = value
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    with pytest.raises(SourceError, match=f"unknown {key.split('_')[-1]} '{value}'"):
        stix_import.read(path)
    skipped: list[SourceError] = []
    extractions = stix_import.read(path, skipped=skipped)
    assert len(skipped) == 1 and not [c for x in extractions for c in x.claims]


def test_ftm_import_refuses_an_unknown_tactic(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "schema": "Organization", "properties": {"name": ["Harbour Bureau"]}},
        {"id": "b", "schema": "Organization", "properties": {"name": ["Lake Society"]}},
        {"id": "l", "schema": "UnknownLink", "properties": {
            "subject": ["a"], "object": ["b"], "role": ["funds"],
            "description": ["Tactic: nonsense."]}},
    ]
    path = tmp_path / "ftm.json"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    with pytest.raises(SourceError, match="unknown tactic 'nonsense'"):
        ftm_import.read(path)
    good = path.read_text().replace("Tactic: nonsense.", "Tactic: covert funding.")
    path.write_text(good, encoding="utf-8")
    claims = [c for x in ftm_import.read(path) for c in x.claims]
    assert claims and all(c.tactic == "covert_funding" for c in claims)
