"""Claim confidence in the evidence store, on SQLite and PostgreSQL: stored per piece of evidence, the
highest kept on the claim, recomputed after curation, and filled with 1.0 when an older store upgrades.
The extractions are built by hand, so no spaCy model is needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, select

from frontwatch.model import Claim, Document, Entity, Evidence, Extraction, Mention
from frontwatch.store.curation import merge, undo
from frontwatch.store.db import Store, migration_config
from frontwatch.store.ingest import store_extractions
from frontwatch.store.queries import list_claims
from frontwatch.store.schema import ClaimRow, EvidenceRow
from frontwatch.store.summary import refresh_claims


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        return Store(str(tmp_path / "fw.db"))
    return Store(request.getfixturevalue("pg_empty_url"))


FIRST = "The Ministry of State Security funded the Harbour Friendship Society."


def extraction(doc_id: str, confidence: float, funder: str = "Ministry of State Security",
               sentence: str = FIRST) -> Extraction:
    text = sentence

    def mention(name: str) -> Mention:
        start = text.index(name)
        return Mention(start, start + len(name), name)

    entities = [Entity(funder, "state_body", mentions=[mention(funder)]),
                Entity("Harbour Friendship Society", "organization",
                       mentions=[mention("Harbour Friendship Society")])]
    claim = Claim(funder, "funds", "Harbour Friendship Society", stance="asserted", tactic="financing",
                  evidence=Evidence(text, 0, len(text)), confidence=confidence)
    document = Document(id=doc_id, text=text, url=f"https://{doc_id}.example.org/a", date="2024-05-01")
    return Extraction(document, entities, [claim])


def funds(store: Store) -> dict:
    with store.read() as s:
        (view,) = list_claims(s, predicate="funds")
        return view.to_dict()


def test_confidence_round_trips_and_the_claim_keeps_the_highest(store: Store) -> None:
    store_extractions(store, [extraction("a", 0.4)])
    view = funds(store)
    assert view["confidence"] == pytest.approx(0.4)
    assert [src["confidence"] for src in view["sources"]] == [pytest.approx(0.4)]
    # the same claim from two more documents: the highest of its evidence, whatever the order
    store_extractions(store, [extraction("b", 0.85, sentence="The Harbour Friendship Society was funded, "
                                                             "officials said: the Ministry of State Security "
                                                             "paid it."),
                              extraction("c", 0.6, sentence="The Ministry of State Security funded the "
                                                            "Harbour Friendship Society again.")])
    view = funds(store)
    assert view["documents"] == 3
    assert view["confidence"] == pytest.approx(0.85)
    assert sorted(src["confidence"] for src in view["sources"]) == pytest.approx([0.4, 0.6, 0.85])
    with store.read() as s:
        (row,) = s.scalars(select(ClaimRow).where(ClaimRow.predicate == "funds"))
        assert row.confidence == pytest.approx(0.85)
        stored = sorted(s.scalars(select(EvidenceRow.confidence)))
        assert stored == pytest.approx([0.4, 0.6, 0.85])
    # recomputing the summary from the evidence gives what ingest kept up to date
    store.retry(lambda s: refresh_claims(s, [row.id]))
    with store.read() as s:
        assert s.get(ClaimRow, row.id).confidence == pytest.approx(0.85)  # type: ignore[union-attr]


def test_out_of_range_confidence_is_clamped(store: Store) -> None:
    store_extractions(store, [extraction("a", 1.7)])
    assert funds(store)["confidence"] == 1.0
    store_extractions(store, [extraction("b", -0.5, sentence="Officials said the Ministry of State Security "
                                                             "funded the Harbour Friendship Society.")])
    assert sorted(src["confidence"] for src in funds(store)["sources"]) == [0.0, 1.0]


def test_a_merge_moves_the_highest_confidence_and_undo_restores_it(store: Store) -> None:
    store_extractions(store, [extraction("a", 0.3),
                              extraction("b", 0.9, funder="MSS", sentence="MSS funded the Harbour Friendship "
                                                                          "Society.")])
    with store.read() as s:
        before = {v.subject: v.confidence for v in list_claims(s, predicate="funds")}
    assert before == {"Ministry of State Security": pytest.approx(0.3), "MSS": pytest.approx(0.9)}
    entry = store.retry(lambda s: merge(s, "Ministry of State Security", "MSS", "ana").id)
    with store.read() as s:
        live = [r for r in s.scalars(select(ClaimRow).where(ClaimRow.predicate == "funds"))
                if r.n_documents]
        assert [r.confidence for r in live] == [pytest.approx(0.9)]
    store.retry(lambda s: undo(s, entry, "ana"))
    with store.read() as s:
        after = {v.subject: v.confidence for v in list_claims(s, predicate="funds") if v.documents}
    assert after == before


def test_an_older_store_upgrades_with_confidence_one(store: Store) -> None:
    store_extractions(store, [extraction("a", 0.5)])
    cfg = migration_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with store.engine.connect() as conn:
        assert "confidence" not in {c["name"] for c in inspect(conn).get_columns("claims")}
        assert "confidence" not in {c["name"] for c in inspect(conn).get_columns("evidence")}
    url = store.url
    store.engine.dispose()
    again = Store(url)  # opening a store upgrades it: the rules' claims had confidence 1.0
    view = funds(again)
    assert view["confidence"] == 1.0 and [src["confidence"] for src in view["sources"]] == [1.0]
    store_extractions(again, [extraction("b", 0.25, sentence="Officials said the Ministry of State "
                                                            "Security funded the Harbour Friendship "
                                                            "Society.")])
    assert funds(again)["confidence"] == 1.0
    again.engine.dispose()
