"""The workbench's JSON API on the example store (SQLite) and on PostgreSQL: every endpoint's happy
path and its errors (4xx with {"detail": "..."}, never 500), search, and corrections through the API."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import add_users, client, copy_store, login

from frontwatch.model import Document
from frontwatch.store.db import Store, migration_config

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def ro(example_store_url: str) -> TestClient:
    """The example store, no users: read-only, readable by anyone."""
    return client(example_store_url)


@pytest.fixture
def rw(example_store_url: str, tmp_path: Path) -> tuple[TestClient, str]:
    """A copy of the example store with users; returns a client logged in as the analyst and its token."""
    url = copy_store(example_store_url, tmp_path)
    add_users(url)
    c = client(url)
    return c, login(c, "ana")


def ok(c: TestClient, path: str, **params: Any) -> Any:
    r = c.get(path, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


def assert_claim(view: dict[str, Any]) -> None:
    """A claim is never bare: stance, attribution and sources travel with it."""
    assert view["stance"] in ("asserted", "alleged", "denied", "contested")
    assert isinstance(view["alleged_by"], list) and isinstance(view["denied_by"], list)
    stances = {s["stance"] for s in view["sources"]}
    assert (view["stance"] == "contested") == ("denied" in stances and len(stances) > 1)  # dissent shows
    assert set(view["stance_counts"]) == stances
    assert view["sources"], view
    for s in view["sources"]:
        assert s["stance"] in ("asserted", "alleged", "denied") and "attributed_to" in s and s["evidence"]


def first_claim(c: TestClient) -> dict[str, Any]:
    return ok(c, "/api/claims", limit=1)["items"][0]


# --- reading -------------------------------------------------------------------------------------

def test_me_and_health(ro: TestClient) -> None:
    assert ok(ro, "/api/me") == {"user": None, "csrf": None, "read_only": True}
    assert ok(ro, "/api/health") == {"ok": True, "documents": 10}


def test_entities_list_filters_and_pages(ro: TestClient) -> None:
    page = ok(ro, "/api/entities", limit=5)
    assert page["total"] > 50 and len(page["items"]) == 5
    docs = [e["documents"] for e in page["items"]]
    assert docs == sorted(docs, reverse=True)
    nxt = ok(ro, "/api/entities", limit=5, offset=5)["items"]
    assert not {e["id"] for e in nxt} & {e["id"] for e in page["items"]}
    countries = ok(ro, "/api/entities", type="country", limit=500)
    assert countries["total"] == len(countries["items"]) and all(e["type"] == "country"
                                                                 for e in countries["items"])
    china = ok(ro, "/api/entities", q="prc")["items"]  # an alias finds it
    assert any(e["name"] == "China" for e in china)
    assert ok(ro, "/api/entities", q="50%_off\\")["total"] == 0


def test_entity_profile(ro: TestClient) -> None:
    china = ok(ro, "/api/entities", q="China", type="country")["items"][0]
    prof = ok(ro, f"/api/entities/{china['id']}")
    assert prof["name"] == "China" and prof["gazetteer_id"] == "CN" and "PRC" in prof["aliases"]
    assert prof["claims_out"] or prof["claims_in"]
    for view in prof["claims_out"] + prof["claims_in"]:
        assert_claim(view)


def test_claims_filters_and_detail(ro: TestClient) -> None:
    everything = ok(ro, "/api/claims", limit=500)
    assert everything["total"] == len(everything["items"]) > 20
    for view in everything["items"]:
        assert_claim(view)
    located = ok(ro, "/api/claims", predicate="located_in", limit=500)["items"]
    assert located and all(v["predicate"] == "located_in" for v in located)
    two = ok(ro, "/api/claims", predicate=["located_in", "controls"], limit=500)["total"]
    assert two > len(located)
    alleged = ok(ro, "/api/claims", stance="alleged", limit=500)["items"]
    # at least one source alleges each (the headline may be "asserted" when another source asserts it)
    assert alleged and all(v["stance_counts"].get("alleged") for v in alleged)
    assert all(v["stance"] in ("alleged", "asserted", "contested") for v in alleged)
    assert ok(ro, "/api/claims", min_sources=50)["total"] == 0
    assert ok(ro, "/api/claims", accepted_only=True)["total"] == 0  # nobody reviewed anything yet
    assert ok(ro, "/api/claims", review_status="pending")["total"] == everything["total"]
    assert ok(ro, "/api/claims", since="2999-01-01")["total"] == 0
    china = ok(ro, "/api/claims", about="China", limit=500)["items"]
    assert china and all("China" in (v["subject"], v["object"]) for v in china)
    detail = ok(ro, f"/api/claims/{china[0]['id']}")
    assert_claim(detail)
    ids = [v["id"] for v in everything["items"]]
    assert ids == sorted(ids)
    assert [v["id"] for v in ok(ro, "/api/claims", order="newest", limit=500)["items"]] == ids[::-1]
    shaky = [v["confidence"] for v in ok(ro, "/api/claims", order="least_confident", limit=500)["items"]]
    assert shaky == sorted(shaky) and shaky[0] < shaky[-1]
    assert ro.get("/api/claims", params={"order": "random"}).status_code == 422
    assert detail["document_ids"] and all(isinstance(i, int) for i in detail["document_ids"])


def test_document_offsets_index_the_text(ro: TestClient) -> None:
    for doc_id in range(1, 11):
        doc = ok(ro, f"/api/documents/{doc_id}")
        text = doc["text"]
        assert doc["mentions"] and doc["evidence"]
        for m in doc["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text) and text[m["start"]:m["end"]].strip()
            assert m["entity"] and m["type"]
        for ev in doc["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["sentence"]
            assert ev["stance"] in ("asserted", "alleged", "denied") and "attributed_to" in ev
            claim = ok(ro, f"/api/claims/{ev['claim_id']}")
            assert doc_id in claim["document_ids"]


def test_search_finds_entity_claim_and_document(ro: TestClient) -> None:
    hits = ok(ro, "/api/search", q="People's Republic")  # an alias of China
    assert any(e["name"] == "China" for e in hits["entities"])
    claim = first_claim(ro)
    hits = ok(ro, "/api/search", q=f"{claim['subject']} {claim['object']}")
    assert claim["id"] in [c["id"] for c in hits["claims"]]
    for c in hits["claims"]:
        assert c["stance"] and "alleged_by" in c and "snippet" in c
    doc = ok(ro, "/api/documents/7")
    word = max(doc["title"].split(), key=len).strip(".,:;\"'")
    hits = ok(ro, "/api/search", q=word)
    assert 7 in [d["id"] for d in hits["documents"]]
    assert ok(ro, "/api/search", q="polic")["documents"]  # a prefix matches


@pytest.mark.parametrize("q", ['"', "'", "AND", "OR NOT", "NEAR(a b)", "*", "^x", "a:b", "-x", "()", '"open',
                               "title:x", "\\", "%_", "{x}", "x" * 499, "日本 中国", "  ", "a AND (b OR",
                               "<script>alert(1)</script>", "col : 'x'", "1e5", "_"])
def test_search_survives_any_query(ro: TestClient, q: str) -> None:
    body = ok(ro, "/api/search", q=q)
    assert set(body) == {"entities", "claims", "documents"}


def test_graph_endpoints(ro: TestClient) -> None:
    china = ok(ro, "/api/entities", q="China", type="country")["items"][0]["id"]
    hood = ok(ro, f"/api/graph/neighbors/{china}", depth=2)
    assert hood["center"]["id"] == china and hood["nodes"][0]["distance"] == 0
    ids = {n["id"] for n in hood["nodes"]}
    for e in hood["edges"]:
        assert e["subject_id"] in ids and e["object_id"] in ids
        assert e["stance"] and "alleged_by" in e and "denied_by" in e and e["documents"] >= 1
    target = next(n["id"] for n in hood["nodes"] if n["distance"] == 2)
    paths = ok(ro, "/api/graph/path", source=china, target=target)
    assert paths["paths"] and paths["paths"][0]["length"] == 2
    hop = paths["paths"][0]["hops"][0]
    assert hop["from"] == "China" and hop["evidence"] and hop["stance"]
    same = ok(ro, "/api/graph/path", source=china, target=china)
    assert same["paths"] == [] and "same entity" in same["note"]
    net = ok(ro, "/api/graph/network")
    assert net["edges"] and not net["truncated"]
    small = ok(ro, "/api/graph/network", limit=3)
    assert len(small["edges"]) == 3 and small["truncated"]
    assert {n["id"] for n in small["nodes"]} == {x for e in small["edges"]
                                                  for x in (e["subject_id"], e["object_id"])}
    only = ok(ro, "/api/graph/network", predicate="located_in")["edges"]
    assert only and all(e["predicate"] == "located_in" for e in only)


def test_places_and_timeline(ro: TestClient) -> None:
    data = ok(ro, "/api/places")
    by_name = {p["name"]: p for p in data["places"]}
    assert by_name["New York City"]["country"] == "US" and 40 < by_name["New York City"]["lat"] < 41
    assert "Chinese Consulate in Toronto" in by_name  # a mission, by its gazetteer city
    isos = {c["name"]: c["iso2"] for c in data["countries"]}
    assert isos["China"] == "CN" and isos["Canada"] == "CA"
    assert all(c["claims"] >= 0 for c in data["countries"])
    items = ok(ro, "/api/timeline")["items"]
    dates = [i["date"] for i in items if i["date"]]  # undated last
    assert items and dates == sorted(dates) and dates == [i["date"] for i in items[:len(dates)]]
    assert all((i["date_source"] is None) == (i["date"] is None) for i in items)
    china = ok(ro, "/api/entities", q="China", type="country")["items"][0]["id"]
    mine = ok(ro, "/api/timeline", actor=china)["items"]
    assert mine and all(china in (i["subject_id"], i["object_id"]) for i in mine)
    tactic = ok(ro, "/api/timeline", tactic="covert_policing")["items"]
    assert all(i["tactic"] == "covert_policing" for i in tactic)


@pytest.mark.parametrize("fmt", ["stix", "misp", "ftm", "gexf", "graphml", "csv", "jsonl"])
def test_export_downloads(ro: TestClient, fmt: str) -> None:
    r = ro.get("/api/export", params={"format": fmt, "predicate": "located_in"})
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            assert sorted(zf.namelist()) == ["edges.csv", "nodes.csv"]
            edges = zf.read("edges.csv").decode()
            assert "stance" in edges.splitlines()[0] and "located_in" in edges
    elif fmt == "jsonl":
        claims = [json.loads(line) for line in r.text.splitlines() if '"kind": "claim"' in line]
        assert claims and all(c["stance"] and c["evidence"] for c in claims)
    elif fmt == "misp":
        from pymisp import MISPEvent

        event = MISPEvent()
        event.load(r.text)
        assert event.info and event.objects
    else:
        assert len(r.content) > 100


def test_audit_and_screen(ro: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ok(ro, "/api/audit") == []
    import sys
    import types

    monkeypatch.setitem(sys.modules, "frontwatch.screen", types.ModuleType("frontwatch.screen"))
    r = ro.post("/api/screen", json={"text": "hello", "format": "text"})
    assert r.status_code == 503 and r.json() == {"detail": "screening not installed"}
    fake = types.ModuleType("frontwatch.screen")
    fake.screen_text = lambda text, fmt, country=None: {"format": fmt, "n": len(text), "country": country}
    monkeypatch.setitem(sys.modules, "frontwatch.screen", fake)
    r = ro.post("/api/screen", json={"text": "hello", "format": "whatsapp", "country": "CA"})
    assert r.status_code == 200 and r.json() == {"format": "whatsapp", "n": 5, "country": "CA"}


# --- errors: 4xx with a one-line detail, never 500 ------------------------------------------------

@pytest.mark.parametrize(("path", "status"), [
    ("/api/entities/999999", 404), ("/api/claims/999999", 404), ("/api/documents/999999", 404),
    ("/api/graph/neighbors/999999", 404), ("/api/graph/path?source=999998&target=999999", 404),
    ("/api/timeline?actor=999999", 404), ("/api/claims?about=no-such-entity-anywhere", 404),
    ("/api/entities/0", 422), ("/api/entities/99999999999999999999", 422), ("/api/entities/abc", 404),
    ("/api/claims?predicate=owns", 422), ("/api/claims?stance=maybe", 422), ("/api/claims?tactic=x", 422),
    ("/api/claims?since=yesterday", 422), ("/api/claims?until=2023-13-45", 422),
    ("/api/claims?min_sources=0", 422), ("/api/claims?min_sources=99999999999999999999", 422),
    ("/api/claims?limit=0", 422), ("/api/claims?limit=100000", 422), ("/api/claims?offset=-1", 422),
    ("/api/claims?accepted_only=perhaps", 422), ("/api/claims?review_status=done", 422),
    ("/api/search", 422), ("/api/search?q=%00", 422), ("/api/search?q=x&limit=0", 422),
    ("/api/entities?type=alien", 422), ("/api/entities?q=%00", 422), ("/api/graph/neighbors/1?depth=9", 422),
    ("/api/graph/path?source=1", 422),
    ("/api/export", 422), ("/api/export?format=pdf", 422), ("/api/audit?limit=0", 422),
    ("/api/nothing-here", 404),
])
def test_errors_are_4xx_with_detail(ro: TestClient, path: str, status: int) -> None:
    r = ro.get(path)
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


BAD_SCREENS = [{}, {"text": 1}, {"text": "x", "format": "pdf"}, {"text": "x", "country": "ca"},
               {"text": "a\u0000b"}, {"text": "x", "extra": 1}]


@pytest.mark.parametrize("body", BAD_SCREENS)
def test_screen_rejects_bad_bodies(ro: TestClient, body: dict[str, Any]) -> None:
    r = ro.post("/api/screen", json=body)
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)


# --- corrections through the API ------------------------------------------------------------------

def test_review_merge_split_undo(rw: tuple[TestClient, str]) -> None:
    c, csrf = rw
    h = {"X-CSRF-Token": csrf}
    claim = first_claim(c)
    r = c.post(f"/api/claims/{claim['id']}/review", json={"status": "accepted"}, headers=h)
    assert r.status_code == 200
    assert r.json()["review_status"] == "accepted" and r.json()["reviewed_by"] == "ana"
    assert_claim(r.json())
    r = c.post(f"/api/claims/{claim['id']}/review", json={"status": "accepted", "tactic": "espionage"},
               headers=h)
    assert r.json()["review_status"] == "edited" and r.json()["tactic"] == "espionage"
    assert ok(c, "/api/claims", accepted_only=True)["total"] == 1
    bad = c.post(f"/api/claims/{claim['id']}/review", json={"status": "maybe"}, headers=h)
    assert bad.status_code == 422
    assert c.post("/api/claims/999999/review", json={"status": "accepted"}, headers=h).status_code == 404

    canada = ok(c, "/api/entities", q="Canada", type="country")["items"][0]
    china = ok(c, "/api/entities", q="China", type="country")["items"][0]
    merged = c.post("/api/entities/merge", json={"keep": china["id"], "gone": canada["id"]}, headers=h)
    assert merged.status_code == 200
    assert ok(c, f"/api/entities/{canada['id']}")["id"] == china["id"]  # lives on in China
    hits = ok(c, "/api/search", q="Canada")["entities"]
    assert canada["id"] not in [e["id"] for e in hits] and china["id"] in [e["id"] for e in hits]
    again = c.post("/api/entities/merge", json={"keep": china["id"], "gone": canada["id"]}, headers=h)
    assert again.status_code == 409
    undone = c.post(f"/api/audit/{merged.json()['audit_id']}/undo", headers=h)
    assert undone.status_code == 200
    assert ok(c, f"/api/entities/{canada['id']}")["name"] == "Canada"
    assert canada["id"] in [e["id"] for e in ok(c, "/api/search", q="Canada")["entities"]]
    twice = c.post(f"/api/audit/{merged.json()['audit_id']}/undo", headers=h)
    assert twice.status_code == 409

    us = ok(c, "/api/entities", q="United States", type="country")["items"][0]
    assert us["documents"] >= 2
    doc = next(d["key"] for d in (ok(c, f"/api/documents/{i}") for i in range(1, 11))
               if any(m["entity_id"] == us["id"] for m in d["mentions"]))
    split = c.post(f"/api/entities/{us['id']}/split", json={"documents": [doc], "name": "US (split)"},
                   headers=h)
    assert split.status_code == 200, split.text
    assert ok(c, "/api/search", q="split")["entities"][0]["name"] == "US (split)"
    assert c.post(f"/api/entities/{us['id']}/split", json={}, headers=h).status_code == 422
    nothing = c.post(f"/api/entities/{us['id']}/split", json={"forms": ["nowhere"]}, headers=h)
    assert nothing.status_code == 404
    assert c.post(f"/api/audit/{split.json()['audit_id']}/undo", headers=h).status_code == 200
    # the retired entity's name leads back to the original, like every merged name
    assert [e["name"] for e in ok(c, "/api/search", q="split")["entities"]] == ["United States"]

    edit = {"status": "accepted", "name": "USA", "type": "country"}
    r = c.post(f"/api/entities/{us['id']}/review", json=edit, headers=h)
    assert r.status_code == 200
    prof = ok(c, f"/api/entities/{us['id']}")
    assert prof["name"] == "USA" and prof["review_status"] == "edited"
    assert any(e["id"] == us["id"] for e in ok(c, "/api/search", q="USA")["entities"])
    log = ok(c, "/api/audit")
    assert [e["action"] for e in log][:3] == ["review", "undo", "split"]
    assert all(e["actor"] == "ana" for e in log)
    assert c.post("/api/audit/999999/undo", headers=h).status_code == 404


# --- the same smoke tests on PostgreSQL -----------------------------------------------------------

def test_api_on_postgresql(pg_empty_url: str, pipeline: object) -> None:
    from frontwatch.store.ingest import ingest

    fixture = Path(__file__).parent / "fixtures" / "store" / "reports.jsonl"
    docs = [Document(id=r["id"], text=r["text"], title=r["title"], url=r["url"], date=r["date"])
            for r in map(json.loads, fixture.read_text().splitlines())]
    store = Store(pg_empty_url)
    assert len(ingest(store, docs[:2]).new) == 2
    store.close()
    add_users(pg_empty_url)
    c = client(pg_empty_url)
    assert c.get("/api/search", params={"q": "x"}).status_code == 401  # users exist: log in first
    csrf = login(c, "ana")
    assert ok(c, "/api/health")["documents"] == 2
    hits = ok(c, "/api/search", q="Wen")
    assert [e["name"] for e in hits["entities"]] == ["Wen Bo"]
    assert hits["claims"] and hits["documents"] and all(h["snippet"] for h in hits["documents"])
    assert ok(c, "/api/search", q="Consul Toronto")["entities"]  # prefixes, stemmed
    for q in ['"', "a & b | !c", "x:*", "<->", "'", "\\", "日本"]:
        assert set(ok(c, "/api/search", q=q)) == {"entities", "claims", "documents"}
    assert c.get("/api/search", params={"q": "a\x00b"}).status_code == 422
    assert ok(c, "/api/entities")["total"] >= 4
    claims = ok(c, "/api/claims")["items"]
    for view in claims:
        assert_claim(view)
    funds = next(v for v in claims if v["predicate"] == "funds")
    doc_id = ok(c, f"/api/claims/{funds['id']}")["document_ids"][0]
    doc = ok(c, f"/api/documents/{doc_id}")
    assert all(doc["text"][e["start"]:e["end"]] == e["sentence"] for e in doc["evidence"])
    wen = hits["entities"][0]["id"]
    assert ok(c, f"/api/graph/neighbors/{wen}")["edges"]
    assert ok(c, "/api/graph/network")["edges"] and ok(c, "/api/timeline")["items"]
    assert any(p["name"] == "Chinese Consulate in Toronto" for p in ok(c, "/api/places")["places"])
    assert c.get("/api/export", params={"format": "jsonl"}).status_code == 200
    assert c.get("/api/entities/99999999999").status_code == 422
    r = c.post(f"/api/claims/{funds['id']}/review", json={"status": "rejected"},
               headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["review_status"] == "rejected"
    assert funds["id"] not in [v["id"] for v in ok(c, "/api/claims")["items"]]
    assert ok(c, "/api/claims", review_status="rejected")["items"][0]["id"] == funds["id"]


# --- the search index: backfilled by migration 0003 exactly as ingest and curation keep it -----------

def _index(url: str) -> list[tuple[str, int, str | None, str]]:
    from sqlalchemy import text

    with Store(url).read() as s:
        return [tuple(r) for r in s.execute(text(
            "SELECT kind, ref_id, title, body FROM search_index ORDER BY kind, ref_id"))]  # type: ignore[misc]


def test_migration_backfill_matches_the_live_index(example_store_url: str, tmp_path: Path) -> None:
    from alembic import command

    from frontwatch.store.search import rebuild

    url = copy_store(example_store_url, tmp_path)
    add_users(url)
    c = client(url)
    csrf = login(c, "ana")
    china = ok(c, "/api/entities", q="China", type="country")["items"][0]["id"]
    canada = ok(c, "/api/entities", q="Canada", type="country")["items"][0]["id"]
    merged = c.post("/api/entities/merge", json={"keep": china, "gone": canada},
                    headers={"X-CSRF-Token": csrf})
    assert merged.status_code == 200
    live = _index(url)
    assert {k for k, *_ in live} == {"document", "entity", "claim"}
    store = Store(url)
    with store.write() as s:
        rebuild(s)
    assert _index(url) == live
    cfg = migration_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    store.close()
    import sqlite3

    with sqlite3.connect(url.split("///", 1)[1]) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "search_index" not in tables and "search_fts" not in tables and "users" not in tables
    assert _index(url) == live  # opening the store upgraded it again: the backfill
    hits = ok(client(url), "/api/search", q="Canada")["entities"]  # no users any more: read-only
    assert canada not in [e["id"] for e in hits] and china in [e["id"] for e in hits]
