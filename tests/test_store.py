"""The evidence store on SQLite and on a real PostgreSQL server: ingest, identity, resolution,
corroboration, review state, merge/split/undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontwatch.model import Document
from frontwatch.store.curation import merge, review, split, undo
from frontwatch.store.db import Store
from frontwatch.store.ingest import ingest
from frontwatch.store.queries import entity_profile, find_entity, list_claims, stats
from frontwatch.store.schema import ClaimRow, DocumentRow, EntityRow, EvidenceRow

FIXTURE = Path(__file__).parent / "fixtures" / "store" / "reports.jsonl"


def docs() -> list[Document]:
    out = []
    for line in FIXTURE.read_text().splitlines():
        r = json.loads(line)
        out.append(Document(id=r["id"], text=r["text"], title=r["title"], url=r["url"], date=r["date"]))
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path, pipeline: object) -> Store:
    if request.param == "sqlite":
        return Store(str(tmp_path / "fw.db"))
    return Store(request.getfixturevalue("pg_empty_url"))


def funds_claim(store: Store) -> dict:
    with store.read() as s:
        (view,) = [v for v in list_claims(s, predicate="funds")]
        return view.to_dict()


def test_ingest_is_idempotent_and_keeps_provenance(store: Store) -> None:
    first = ingest(store, docs())
    assert (len(first.new), len(first.unchanged), first.failed) == (3, 0, [])
    with store.read() as s:
        before = stats(s)
    again = ingest(store, docs())
    assert (len(again.new), len(again.unchanged)) == (0, 3)
    with store.read() as s:
        assert stats(s) == before
        row = s.scalars(select(DocumentRow).where(DocumentRow.doc_key == "globe-1")).one()
        assert (row.url, row.publisher, row.published, row.title) == (
            "https://news.example.org/2023/consulate-network", "news.example.org", "2023-03-01",
            "Consulate network")


def test_same_url_new_text_is_a_new_version(store: Store) -> None:
    ingest(store, docs())
    first = docs()[0]
    changed = Document(id=first.id, url=first.url, title=first.title, text=first.text + " Ottawa protested.")
    report = ingest(store, [changed])
    assert len(report.updated) == 1
    with store.read() as s:
        versions = s.scalars(select(DocumentRow).where(DocumentRow.url == first.url)
                             .order_by(DocumentRow.version)).all()
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].lineage_id == versions[1].lineage_id
    view = funds_claim(store)
    assert view["documents"] == 3  # the two versions of one story count once


def test_resolution_across_documents(store: Store) -> None:
    ingest(store, docs())
    with store.read() as s:
        csis = find_entity(s, "CSIS")
        assert csis.name == "Canadian Security Intelligence Service"
        assert find_entity(s, "Canadian Security Intelligence Service").id == csis.id
        rcmp = find_entity(s, "RCMP")
        assert find_entity(s, "Royal Canadian Mounted Police").id == rcmp.id
        karan, amrit = find_entity(s, "Karan Singh"), find_entity(s, "Amrit Singh")
        assert karan.id != amrit.id  # a shared surname is not one person
        n_consulates = s.scalar(select(func.count(EntityRow.id)).where(
            EntityRow.name == "Chinese Consulate in Toronto"))
        assert n_consulates == 1


def test_corroboration_counts_sources_stances_and_deniers(store: Store) -> None:
    ingest(store, docs())
    view = funds_claim(store)
    assert (view["subject"], view["object"]) == ("Chinese Consulate in Toronto", "Wen Bo")
    assert view["documents"] == 3 and view["publishers"] == 3
    assert "Canadian Security Intelligence Service" in view["alleged_by"]
    # "according to court filings" alleges; globe-1 also carries Beijing's denial
    assert view["alleged_only_in"] == ["blog-3", "post-2"]
    assert view["denied_by"] == ["China"]
    assert all(src["evidence"] for src in view["sources"])


def test_review_survives_ingest_and_can_be_undone(store: Store) -> None:
    ingest(store, docs()[:2])
    claim_id = funds_claim(store)["id"]
    entry = store.retry(lambda s: review(s, "claim", str(claim_id), "accepted", "ana").id)
    ingest(store, docs()[2:])  # new evidence for the same claim
    view = funds_claim(store)
    assert (view["review_status"], view["reviewed_by"], view["documents"]) == ("accepted", "ana", 3)
    store.retry(lambda s: undo(s, entry, "ana"))
    assert funds_claim(store)["review_status"] == "pending"


def test_merge_split_and_undo(store: Store) -> None:
    ingest(store, docs())
    with store.read() as s:
        n_claims = s.scalar(select(func.count(ClaimRow.id)))
        wen = find_entity(s, "Wen Bo").id
    entry = store.retry(lambda s: merge(s, "Wen Bo", "Amrit Singh", "ana").id)
    with store.read() as s:
        prof = entity_profile(s, "Wen Bo")
        assert "Amrit Singh" in prof["aliases"] and find_entity(s, "Amrit Singh").id == wen
        both_ways = prof["claims_in"] + prof["claims_out"]  # meets is stored in one direction
        assert {c["predicate"] for c in both_ways} >= {"funds", "investigates", "meets"}
    store.retry(lambda s: undo(s, entry, "ana"))
    with store.read() as s:
        assert find_entity(s, "Amrit Singh").id != wen
        assert s.scalar(select(func.count(ClaimRow.id))) >= n_claims
        assert {c["predicate"] for c in entity_profile(s, "Amrit Singh")["claims_in"]} >= {"investigates"}
    store.retry(lambda s: split(s, "Wen Bo", documents=["blog-3"], forms=[], new_name="Wen Bo (2)",
                                actor="ana"))
    with store.read() as s:
        def funded(name: str) -> int:
            (claim,) = [c for c in entity_profile(s, name)["claims_in"] if c["predicate"] == "funds"]
            return int(claim["documents"])

        assert (funded("Wen Bo"), funded("Wen Bo (2)")) == (2, 1)
        orphans = s.scalar(select(func.count(EvidenceRow.id)).where(EvidenceRow.claim_id.is_(None)))
        assert orphans == 0
