"""Saved investigations (issue 14 item 6): CRUD through the API with roles and the audit log, the store
module's checks, and exports of exactly an investigation's subgraph or the subgraph on screen."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_helpers import add_users, client, copy_store, login

from frontwatch.errors import FrontwatchError, NotFoundError
from frontwatch.store import investigations as inv
from frontwatch.store.curation import merge, split, undo
from frontwatch.store.db import Store, migration_config
from frontwatch.store.schema import AuditRow, ClaimRow, DocEntityRow, DocumentRow, EntityRow, EvidenceRow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def url(example_store_url: str, tmp_path: Path) -> str:
    url = copy_store(example_store_url, tmp_path)
    add_users(url)
    return url


@pytest.fixture
def rw(url: str) -> tuple[TestClient, dict[str, str]]:
    c = client(url)
    return c, {"X-CSRF-Token": login(c, "ana")}


def two_claims(c: TestClient) -> list[dict[str, Any]]:
    """Two live claims of the network, with their ends."""
    edges = c.get("/api/graph/network", params={"limit": 2}).json()["edges"]
    assert len(edges) == 2
    return list(edges)


def test_crud_with_roles_and_audit(rw: tuple[TestClient, dict[str, str]], url: str) -> None:
    c, h = rw
    edges = two_claims(c)
    claims = [e["id"] for e in edges]
    ents = sorted({e["subject_id"] for e in edges} | {e["object_id"] for e in edges})
    layout = {str(ents[0]): {"x": 10.5, "y": -3.0}}
    r = c.post("/api/investigations", headers=h, json={"name": "  Consulate   network ", "notes": "n1",
                                                       "entity_ids": ents, "claim_ids": claims,
                                                       "layout": layout})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["name"] == "Consulate network" and made["claim_ids"] == claims and made["layout"] == layout
    assert made["created_by"] == "ana" and made["entities"] == len(ents)
    shown = c.get(f"/api/investigations/{made['id']}/graph").json()  # what the graph page draws
    assert sorted(n["id"] for n in shown["nodes"]) == ents
    assert sorted(e["id"] for e in shown["edges"]) == sorted(claims)
    assert all(e["stance"] and "alleged_by" in e and "denied_by" in e for e in shown["edges"])
    listed = c.get("/api/investigations").json()
    assert [i["id"] for i in listed] == [made["id"]] and "layout" not in listed[0]
    r = c.put(f"/api/investigations/{made['id']}", headers=h, json={"notes": "n2", "claim_ids": claims[:1]})
    assert r.status_code == 200 and r.json()["notes"] == "n2" and r.json()["claim_ids"] == claims[:1]
    got = c.get(f"/api/investigations/{made['id']}").json()
    assert got["name"] == "Consulate network" and got["layout"] == layout  # fields not given stay
    # a viewer reads but does not write; without the CSRF token nothing is written
    v = client(url)
    login(v, "vic")
    assert v.get(f"/api/investigations/{made['id']}").status_code == 200
    assert v.post("/api/investigations", headers={"X-CSRF-Token": v.get("/api/me").json()["csrf"]},
                  json={"name": "x"}).status_code == 403
    assert c.delete(f"/api/investigations/{made['id']}").status_code == 403
    assert c.delete(f"/api/investigations/{made['id']}", headers=h).status_code == 204
    assert c.get(f"/api/investigations/{made['id']}").status_code == 404
    store = Store(url)
    with store.read() as s:
        log = list(s.scalars(select(AuditRow).where(AuditRow.action.like("investigation.%"))
                             .order_by(AuditRow.id)))
        names = {s.get(EntityRow, i).name for i in ents}  # type: ignore[union-attr]
    store.close()
    assert [a.action for a in log] == ["investigation.create", "investigation.update", "investigation.delete"]
    assert all(a.actor == "ana" for a in log)
    assert set(log[0].detail["after"]["entities"]) == names  # names, not ids
    assert log[1].detail["before"]["claim_ids"] == claims
    assert log[1].detail["after"]["claim_ids"] == claims[:1]


def test_delete_as_the_graph_page_sends_it(rw: tuple[TestClient, dict[str, str]]) -> None:
    """The page sends every write with a JSON body ({} for a delete) and the CSRF token."""
    c, h = rw
    made = c.post("/api/investigations", headers=h, json={"name": "To delete"}).json()
    assert c.request("DELETE", f"/api/investigations/{made['id']}", headers=h, json={}).status_code == 204
    assert c.get(f"/api/investigations/{made['id']}").status_code == 404


@pytest.mark.parametrize(("body", "status"), [
    ({"name": ""}, 422), ({"name": "x", "claim_ids": [2_000_000]}, 404),
    ({"name": "x", "entity_ids": [0]}, 422), ({"name": "x", "layout": {"a": {"x": 1, "y": 2}}}, 422),
    ({"name": "x", "layout": {"1": {"x": "nan", "y": 2}}}, 422), ({"name": "x", "extra": 1}, 422),
    ({"name": " \t "}, 409),
])
def test_bad_investigations_are_refused(rw: tuple[TestClient, dict[str, str]], body: dict[str, Any],
                                        status: int) -> None:
    c, h = rw
    r = c.post("/api/investigations", headers=h, json=body)
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str | list)
    assert c.get("/api/investigations").json() == []


def test_read_only_store_cannot_save(example_store_url: str) -> None:
    ro = client(example_store_url)
    assert ro.post("/api/investigations", json={"name": "x"}).status_code == 403
    assert ro.get("/api/investigations").status_code == 200


def _claim_ids(fmt: str, content: bytes) -> list[int]:
    """The claim ids an export holds (STIX: one relationship per claim, its id in the name)."""
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            return sorted(int(r["id"]) for r in csv.DictReader(io.StringIO(zf.read("edges.csv").decode())))
    if fmt == "gexf":
        root = ET.fromstring(content)
        return sorted(int(e.get("id", "0")) for e in root.iter() if e.tag.endswith("}edge"))
    if fmt == "stix":
        return sorted(1 for o in json.loads(content)["objects"] if o["type"] == "relationship")
    lines = [json.loads(line) for line in content.decode().splitlines() if line.strip()]
    return sorted(int(r) for p in lines for r in p["properties"].get("recordId", []))


@pytest.mark.parametrize("fmt", ["stix", "ftm", "gexf", "csv"])
def test_export_is_exactly_the_subgraph(rw: tuple[TestClient, dict[str, str]], fmt: str) -> None:
    c, h = rw
    edges = two_claims(c)
    claims = [e["id"] for e in edges]
    ents = sorted({e["subject_id"] for e in edges} | {e["object_id"] for e in edges})
    made = c.post("/api/investigations", headers=h,
                  json={"name": "two", "claim_ids": claims, "entity_ids": ents}).json()
    saved = c.get(f"/api/investigations/{made['id']}/export", params={"format": fmt})
    shown = c.post("/api/investigations/export", headers=h,
                   json={"format": fmt, "claim_ids": claims[:1], "entity_ids": ents})
    whole = c.get("/api/export", params={"format": fmt})
    for r in (saved, shown, whole):
        assert r.status_code == 200, r.text
        assert "attachment" in r.headers["content-disposition"]
    assert len(saved.content) < len(whole.content) and len(shown.content) < len(saved.content)
    if fmt == "stix":  # relationships are named by a hash: count them
        assert _claim_ids(fmt, saved.content) == [1, 1] and _claim_ids(fmt, shown.content) == [1]
    else:
        assert _claim_ids(fmt, saved.content) == sorted(claims)
        assert _claim_ids(fmt, shown.content) == claims[:1]


def test_store_module_checks_and_keeps_fields(url: str) -> None:
    store = Store(url)
    try:
        with store.read() as s:
            claim = s.scalars(select(ClaimRow).where(ClaimRow.n_documents > 0).limit(1)).one()
            ids = [claim.subject_id, claim.object_id]
        row_id = store.retry(lambda s: inv.create_investigation(
            s, "ana", {"name": "a", "entity_ids": ids + ids[:1], "claim_ids": [claim.id],
                       "layout": {str(ids[0]): {"x": 1, "y": 2}}}).id)
        with store.read() as s:
            row = inv.get_investigation(s, row_id)
            assert row.entity_ids == ids and row.layout == {str(ids[0]): {"x": 1.0, "y": 2.0}}
        with pytest.raises(NotFoundError, match="no entity with id 2000000"):
            store.retry(lambda s: inv.update_investigation(s, row_id, "ana", {"entity_ids": [2_000_000]}))
        with pytest.raises(FrontwatchError, match="needs a name"):
            store.retry(lambda s: inv.create_investigation(s, "ana", {"notes": "no name"}))
        with store.read() as s:  # a refused change leaves the investigation as it was
            assert inv.get_investigation(s, row_id).entity_ids == ids
            assert [i["id"] for i in inv.list_investigations(s)] == [row_id]
    finally:
        store.close()


@pytest.mark.parametrize("measure", ["central", "brokers", "communities"])
def test_analysis_api_excludes_countries_and_hubs(example_store_url: str, measure: str) -> None:
    c = client(example_store_url)
    base = c.get(f"/api/analysis/{measure}", params={"by": "betweenness"})
    r = c.get(f"/api/analysis/{measure}", params={"exclude_type": "country", "exclude_hubs": 2,
                                                   "stance": "alleged", "by": "betweenness"})
    assert base.status_code == 200 and r.status_code == 200, r.text
    data = r.json()
    assert data["filters"]["exclude_types"] == ["country"] and len(data["filters"]["excluded_hubs"]) == 2
    assert data["filters"]["stance"] == "alleged"
    names = [m for key in ("entities", "brokers") for m in data.get(key, [])]
    names += [m for comm in data.get("communities", []) for m in comm["members"]]
    assert all(m["type"] != "country" for m in names)
    assert not {m["name"] for m in names} & set(data["filters"]["excluded_hubs"])
    assert c.get(f"/api/analysis/{measure}", params={"exclude_type": "nation"}).status_code == 422


def test_migration_0006_matches_the_table_and_goes_both_ways(tmp_path: Path) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from frontwatch.store.schema import Base

    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert not [d for d in diff if "investigations" in repr(d)], diff
        cfg = migration_config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
        with store.engine.connect() as conn:
            assert "investigations" not in inspect(conn).get_table_names()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        with store.engine.connect() as conn:
            assert "investigations" in inspect(conn).get_table_names()
    finally:
        store.close()


def test_an_investigation_follows_a_merge_of_its_entities_and_undo_gives_it_back(
        rw: tuple[TestClient, dict[str, str]], url: str) -> None:
    """Merging an entity of a saved investigation moves its claims' evidence to the kept entity's claims;
    the investigation shows those (nothing lost), and undoing the merge shows the saved ids again."""
    c, h = rw
    store = Store(url)
    with store.read() as s:
        claim = next(r for r in s.scalars(select(ClaimRow).order_by(ClaimRow.id)) if r.n_documents)
        gone = s.get(EntityRow, claim.subject_id)
        assert gone is not None
        keep = next(e for e in s.scalars(select(EntityRow).where(
            EntityRow.type == gone.type, EntityRow.id != gone.id, EntityRow.merged_into_id.is_(None))))
        gone_id, gone_name, keep_id, keep_name = gone.id, gone.name, keep.id, keep.name
        saved = {"entity_ids": [gone_id, claim.object_id], "claim_ids": [claim.id],
                 "layout": {str(gone_id): {"x": 1.0, "y": 2.0}}}
        pred, obj = claim.predicate, claim.object_id
    made = c.post("/api/investigations", headers=h, json={"name": "merge", **saved}).json()
    entry = store.retry(lambda s: merge(s, keep_name, gone_name, "ana").id)
    with store.read() as s:
        moved = s.scalar(select(ClaimRow.id).where(ClaimRow.subject_id == keep_id, ClaimRow.predicate == pred,
                                                   ClaimRow.object_id == obj))
    got = c.get(f"/api/investigations/{made['id']}").json()
    assert got["entity_ids"] == [keep_id, obj] and got["claim_ids"] == [moved]
    assert got["layout"] == {str(keep_id): {"x": 1.0, "y": 2.0}}
    shown = c.get(f"/api/investigations/{made['id']}/graph").json()
    assert [(e["id"], e["source"], e["target"]) for e in shown["edges"]] == [(moved, keep_id, obj)]
    assert shown["edges"][0]["documents"] >= 1  # the evidence came along
    store.retry(lambda s: undo(s, entry, "ana"))
    back = c.get(f"/api/investigations/{made['id']}").json()
    assert {k: back[k] for k in saved} == saved


def test_an_investigation_follows_a_split_that_empties_its_claim(
        rw: tuple[TestClient, dict[str, str]], url: str) -> None:
    """A split that moves all of a claim's evidence to the new entity's claim: the investigation shows
    that claim, and undoing the split shows the saved one again."""
    c, h = rw
    store = Store(url)
    with store.read() as s:
        docs_of: dict[int, set[int]] = {}
        for de in s.scalars(select(DocEntityRow)):
            docs_of.setdefault(de.entity_id, set()).add(de.document_id)
        claim = next(r for r in s.scalars(select(ClaimRow).order_by(ClaimRow.id)) if r.n_documents == 1
                     and len(docs_of.get(r.subject_id, ())) > 1 and r.subject_id != r.object_id)
        doc_id = s.scalar(select(EvidenceRow.document_id).where(EvidenceRow.claim_id == claim.id))
        doc_key = s.get(DocumentRow, doc_id).doc_key  # type: ignore[union-attr]
        name = s.get(EntityRow, claim.subject_id).name  # type: ignore[union-attr]
        saved_id = claim.id
    made = c.post("/api/investigations", headers=h, json={"name": "split", "claim_ids": [saved_id]}).json()
    entry = store.retry(lambda s: split(s, name, documents=[doc_key], forms=[], new_name=f"{name} (2)",
                                        actor="ana").id)
    got = c.get(f"/api/investigations/{made['id']}").json()["claim_ids"]
    with store.read() as s:
        [now] = got
        moved = s.get(ClaimRow, now)
        assert now != saved_id and moved is not None and moved.n_documents == 1
        assert s.get(EntityRow, moved.subject_id).name == f"{name} (2)"  # type: ignore[union-attr]
    store.retry(lambda s: undo(s, entry, "ana"))
    assert c.get(f"/api/investigations/{made['id']}").json()["claim_ids"] == [saved_id]
