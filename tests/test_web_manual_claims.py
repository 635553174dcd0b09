"""An analyst's own claims, edits of every field and notes through the JSON API (issue 14 item 1):
roles, CSRF, vocabulary checks, the audit log with names before and after, and undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import add_users, client, copy_store, login

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def rw(example_store_url: str, tmp_path: Path) -> tuple[TestClient, dict[str, str]]:
    url = copy_store(example_store_url, tmp_path)
    add_users(url)
    c = client(url)
    return c, {"X-CSRF-Token": login(c, "ana")}


def reading(c: TestClient) -> dict[str, Any]:
    """A sentence of document 1 the extractor read a claim in, and a new claim in it."""
    doc = c.get("/api/documents/1").json()
    ev = doc["evidence"][0]
    predicate = "recruits" if ev["predicate"] != "recruits" else "funds"
    return {"document": 1, "sentence": ev["sentence"], "subject": ev["subject"], "object": ev["object"],
            "predicate": predicate, "stance": "alleged", "attributed_to": "a court filing",
            "tactic": "espionage", "date": "2022-06"}


def test_add_edit_note_and_undo(rw: tuple[TestClient, dict[str, str]]) -> None:
    c, h = rw
    body = reading(c)
    r = c.post("/api/claims", json=body, headers=h)
    assert r.status_code == 201, r.text
    made = r.json()
    claim = made["claim"]
    assert (claim["subject"], claim["predicate"], claim["object"], claim["stance"]) == (
        body["subject"], body["predicate"], body["object"], "alleged")
    assert claim["reviewed_by"] == "ana" and claim["alleged_by"] == ["a court filing"]
    assert [(s["evidence"], s["date"]) for s in claim["sources"]] == [(body["sentence"], "2022-06")]
    doc = c.get("/api/documents/1").json()
    assert claim["id"] in {e["claim_id"] for e in doc["evidence"]}  # the document view shows it
    log = c.get("/api/audit").json()[0]
    assert (log["id"], log["action"], log["actor"]) == (made["audit_id"], "add_claim", "ana")
    assert log["after"]["subject"] == body["subject"] and log["before"] is None

    change = {"stance": "asserted", "date": "", "tactic": "intimidation", "predicate": "targets"}
    r = c.patch(f"/api/claims/{claim['id']}", json=change, headers=h)
    assert r.status_code == 200, r.text
    edited = r.json()["claim"]
    assert (edited["stance"], edited["tactic"], edited["predicate"], edited["review_status"]) == (
        "asserted", "intimidation", "targets", "edited")
    assert [s["date"] for s in edited["sources"]] == [None]
    log = c.get("/api/audit").json()[0]
    assert log["before"]["predicate"] == body["predicate"] and log["after"]["predicate"] == "targets"

    r = c.post("/api/notes", json={"kind": "claim", "ref": claim["id"], "text": "ask the source"}, headers=h)
    assert r.status_code == 201, r.text
    assert [n["text"] for n in c.get(f"/api/notes/claim/{claim['id']}").json()] == [
        "ask the source"]
    assert c.post(f"/api/audit/{r.json()['audit_id']}/undo", headers=h).status_code == 200
    assert c.get(f"/api/notes/claim/{claim['id']}").json() == []

    assert c.post(f"/api/audit/{made['audit_id']}/undo", headers=h).status_code == 409  # the edit first
    edit_entry = c.get("/api/audit").json()[2]["id"]
    assert c.post(f"/api/audit/{edit_entry}/undo", headers=h).status_code == 200
    assert c.get(f"/api/claims/{claim['id']}").json()["predicate"] == body["predicate"]
    assert c.post(f"/api/audit/{made['audit_id']}/undo", headers=h).status_code == 200
    assert c.get(f"/api/claims/{claim['id']}").status_code == 404


@pytest.mark.parametrize(("change", "status"), [
    ({"predicate": "bribes"}, 422),
    ({"stance": "probably"}, 422),
    ({"tactic": "mind_control"}, 422),
    ({"date": "June"}, 422),
    ({"sentence": "Nobody ever wrote this sentence."}, 404),
    ({"subject": "Nobody In Particular"}, 404),
    ({"document": 999999}, 404),
    ({"extra": 1}, 422),
])
def test_bad_claims_are_refused(rw: tuple[TestClient, dict[str, str]], change: dict[str, Any],
                                status: int) -> None:
    c, h = rw
    before = c.get("/api/claims", params={"limit": 1}).json()["total"]
    r = c.post("/api/claims", json={**reading(c), **change}, headers=h)
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str)
    assert c.get("/api/claims", params={"limit": 1}).json()["total"] == before


def test_new_entity_needs_a_type(rw: tuple[TestClient, dict[str, str]]) -> None:
    c, h = rw
    body = {**reading(c), "subject": "Li Wei", "subject_type": "person"}
    r = c.post("/api/claims", json=body, headers=h)
    assert r.status_code == 201, r.text
    assert c.get("/api/entities", params={"q": "Li Wei"}).json()["items"][0]["name"] == "Li Wei"


def test_writes_need_an_analyst_and_csrf(example_store_url: str, tmp_path: Path) -> None:
    url = copy_store(example_store_url, tmp_path)
    assert client(url).post("/api/claims", json={}).status_code in (403, 422)  # read-only store
    add_users(url)
    c = client(url)
    h = {"X-CSRF-Token": login(c, "vic")}
    assert c.post("/api/claims", json=reading(c), headers=h).status_code == 403
    assert c.patch("/api/claims/1", json={"stance": "denied"}, headers=h).status_code == 403
    c2 = client(url)
    login(c2, "ana")
    assert c2.post("/api/claims", json=reading(c2)).status_code == 403  # no CSRF token
    assert c2.post("/api/notes", json={"kind": "entity", "ref": 1, "text": "x"}).status_code == 403
