"""An analyst's own claims, edits of every field and notes (issue 14 item 1), on SQLite and a real
PostgreSQL server: audited with names before and after, undone exactly, never overwritten by ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from frontwatch.errors import FrontwatchError, NotFoundError
from frontwatch.model import Document
from frontwatch.store.curation import audit_log, undo
from frontwatch.store.db import Store, migration_config
from frontwatch.store.ingest import ingest
from frontwatch.store.manual import add_claim, edit_claim
from frontwatch.store.notes import add_note, notes_for
from frontwatch.store.queries import find_entity, list_claims
from frontwatch.store.schema import ClaimRow, DocEntityRow, EntityRow, EvidenceRow, MentionRow, NoteRow
from frontwatch.store.search import search

FIXTURE = Path(__file__).parent / "fixtures" / "store" / "reports.jsonl"
SENTENCE = "Karan Singh met Amrit Singh in Surrey."


def docs() -> list[Document]:
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines()]
    return [Document(id=r["id"], text=r["text"], title=r["title"], url=r["url"], date=r["date"])
            for r in rows]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path, pipeline: object) -> Store:
    url = str(tmp_path / "fw.db") if request.param == "sqlite" else request.getfixturevalue("pg_empty_url")
    st = Store(url)
    ingest(st, docs())
    return st


def counts(store: Store) -> tuple[int, ...]:
    with store.read() as s:
        return tuple(int(s.scalar(select(func.count(t.id))) or 0)
                     for t in (ClaimRow, EvidenceRow, EntityRow, DocEntityRow, MentionRow, NoteRow))


def recruits(store: Store) -> list[dict]:
    with store.read() as s:
        return [v.to_dict() for v in list_claims(s, predicate="recruits")]


def add_recruits(store: Store, **extra: str) -> int:
    kw = dict(document="post-2", sentence=SENTENCE, subject="Karan Singh", predicate="recruits",
              object_="Amrit Singh", stance="alleged", attributed_to="CSIS", tactic="espionage",
              date="2023-04", actor="ana")
    kw.update(extra)
    return store.retry(lambda s: add_claim(s, **kw).id)


def test_added_claim_is_stored_audited_survives_ingest_and_undoes(store: Store) -> None:
    before = counts(store)
    entry = add_recruits(store)
    [view] = recruits(store)
    assert (view["subject"], view["object"], view["stance"], view["tactic"]) == (
        "Karan Singh", "Amrit Singh", "alleged", "espionage")
    assert (view["review_status"], view["reviewed_by"], view["alleged_by"]) == ("accepted", "ana", ["CSIS"])
    [src] = view["sources"]
    assert (src["document"], src["evidence"], src["date"]) == ("post-2", SENTENCE, "2023-04")
    with store.read() as s:
        [log] = [r for r in audit_log(s) if r["id"] == entry]
        assert log["actor"] == "ana" and log["before"] is None
        assert log["after"]["subject"] == "Karan Singh" and log["after"]["document"] == "CSIS warning"
        assert [c["id"] for c in search(s, "Karan recruits Amrit")["claims"]] == [view["id"]]
    # the same documents again, and a new version of the one it was read from: the claim stays as made
    ingest(store, docs())
    first = docs()[1]
    ingest(store, [Document(id=first.id, url=first.url, title=first.title, text=first.text + " More.")])
    [again] = recruits(store)
    assert {k: again[k] for k in ("id", "stance", "tactic", "review_status", "alleged_by")} == {
        k: view[k] for k in ("id", "stance", "tactic", "review_status", "alleged_by")}
    assert [s["evidence"] for s in again["sources"]] == [SENTENCE]
    store.retry(lambda s: undo(s, entry, "bob"))
    assert recruits(store) == []
    after = counts(store)
    assert after[0] == before[0] and after[2] == before[2]


def test_new_entities_need_a_type_and_leave_with_undo(store: Store) -> None:
    with pytest.raises(NotFoundError, match="give its type"):
        add_recruits(store, subject="Li Wei")
    before = counts(store)
    entry = add_recruits(store, subject="Li Wei", subject_type="person")
    with store.read() as s:
        li = find_entity(s, "Li Wei")
        assert li.type == "person"
        de = s.scalars(select(DocEntityRow).where(DocEntityRow.entity_id == li.id)).one()
        assert de.rule == "manual"
    store.retry(lambda s: undo(s, entry, "ana"))
    assert counts(store) == before
    with store.read() as s, pytest.raises(NotFoundError):
        find_entity(s, "Li Wei", fuzzy=False)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("predicate", "bribes", "unknown predicate"),
    ("stance", "probably", "unknown stance"),
    ("tactic", "mind_control", "unknown tactic"),
    ("date", "last June", "a date is"),
    ("sentence", "Nobody said this.", "has no sentence"),
    ("document", "nope-9", "no document"),
])
def test_bad_values_are_refused_and_nothing_changes(store: Store, field: str, value: str,
                                                     message: str) -> None:
    before = counts(store)
    with pytest.raises(FrontwatchError, match=message):
        add_recruits(store, **{field: value})
    assert counts(store) == before


def test_every_field_edited_survives_ingest_and_undoes_exactly(store: Store) -> None:
    with store.read() as s:
        [funds] = [v.to_dict() for v in list_claims(s, predicate="funds")]
    changes = {"subject": "Royal Canadian Mounted Police", "predicate": "supports", "object": "Karan Singh",
               "tactic": "political_influence", "stance": "asserted", "attributed_to": "", "date": "2022"}
    entry = store.retry(lambda s: edit_claim(s, funds["id"], changes, "ana").id)
    with store.read() as s:
        [view] = [v.to_dict() for v in list_claims(s, predicate="supports") if v.id == funds["id"]]
        [log] = [r for r in audit_log(s) if r["id"] == entry]
    assert (view["subject"], view["object"], view["tactic"], view["stance"]) == (
        "Royal Canadian Mounted Police", "Karan Singh", "political_influence", "asserted")
    assert {src["date"] for src in view["sources"]} == {"2022"} and view["alleged_by"] == []
    assert (view["review_status"], view["reviewed_by"], view["documents"]) == ("edited", "ana", 3)
    assert (log["before"]["subject"], log["before"]["predicate"]) == ("Chinese Consulate in Toronto", "funds")
    assert log["after"]["object"] == "Karan Singh" and log["after"]["stance"] == ["asserted"]
    store.retry(lambda s: undo(s, entry, "ana"))
    with store.read() as s:
        [back] = [v.to_dict() for v in list_claims(s, predicate="funds")]
    assert back == funds
    # edited again, then a new version of a source: its evidence for the first reading is a claim of
    # its own, the edited claim keeps every field; undo then refuses rather than join the two
    entry = store.retry(lambda s: edit_claim(s, funds["id"], {"predicate": "supports"}, "ana").id)
    first = docs()[0]
    ingest(store, [Document(id=first.id, url=first.url, title=first.title, text=first.text + " More.")])
    with store.read() as s:
        edited = s.get(ClaimRow, funds["id"])
        assert edited is not None and (edited.predicate, edited.review_status) == ("supports", "edited")
        assert [v.documents for v in list_claims(s, predicate="funds")] == [1]
    with pytest.raises(FrontwatchError, match="cannot be undone"):
        store.retry(lambda s: undo(s, entry, "ana"))


def test_edit_scoped_to_one_document_and_later_edit_blocks_undo(store: Store) -> None:
    with store.read() as s:
        [funds] = list_claims(s, predicate="funds")
    first = store.retry(lambda s: edit_claim(s, funds.id, {"stance": "denied"}, "ana", document="blog-3").id)
    with store.read() as s:
        [view] = [v for v in list_claims(s, predicate="funds")]
        assert {src.document: src.stance for src in view.sources}["blog-3"] == "denied"
        assert {src.document: src.stance for src in view.sources}["post-2"] == "alleged"
    second = store.retry(lambda s: edit_claim(s, funds.id, {"tactic": ""}, "bob").id)
    with pytest.raises(FrontwatchError, match=f"later entry {second}"):
        store.retry(lambda s: undo(s, first, "ana"))
    store.retry(lambda s: undo(s, second, "ana"))
    store.retry(lambda s: undo(s, first, "ana"))
    with store.read() as s:
        [view] = list_claims(s, predicate="funds")
        assert view.tactic == "covert_funding" and "denied" not in {src.stance for src in view.sources
                                                                     if src.document == "blog-3"}


def test_notes_on_claims_entities_documents(store: Store) -> None:
    with store.read() as s:
        [funds] = list_claims(s, predicate="funds")
    entries = [store.retry(lambda s, k=k, r=r: add_note(s, k, r, f"check {k}", "ana").id)
               for k, r in (("claim", str(funds.id)), ("entity", "CSIS"), ("document", "globe-1"))]
    with store.read() as s:
        csis = find_entity(s, "CSIS")
        assert [n["text"] for n in notes_for(s, "entity", csis.id)] == ["check entity"]
        assert [n["author"] for n in notes_for(s, "claim", funds.id)] == ["ana"]
        [log] = [r for r in audit_log(s) if r["id"] == entries[1]]
        assert log["after"] == {"entity": "Canadian Security Intelligence Service", "note": "check entity"}
    with pytest.raises(FrontwatchError, match="needs some text"):
        store.retry(lambda s: add_note(s, "claim", str(funds.id), "   ", "ana"))
    with pytest.raises(FrontwatchError, match="not 'story'"):
        store.retry(lambda s: add_note(s, "story", "1", "x", "ana"))
    store.retry(lambda s: undo(s, entries[1], "ana"))
    with store.read() as s:
        assert notes_for(s, "entity", csis.id) == []
        assert len(notes_for(s, "document", 1)) == 1


def test_an_older_store_upgrades_to_notes_and_manual_evidence(store: Store) -> None:
    cfg = migration_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    with store.engine.connect() as conn:
        assert "notes" not in inspect(conn).get_table_names()
        assert "added_by" not in {c["name"] for c in inspect(conn).get_columns("evidence")}
    url = store.url
    store.engine.dispose()
    again = Store(url)
    add_recruits(again)
    [view] = recruits(again)
    assert view["reviewed_by"] == "ana"
    with again.read() as s:
        assert s.scalar(select(func.count(EvidenceRow.id)).where(EvidenceRow.added_by.is_(None))) > 0
    again.engine.dispose()


def test_an_edit_to_a_new_entity_makes_it_and_undo_removes_it(store: Store) -> None:
    with store.read() as s:
        [funds] = list_claims(s, predicate="funds")
    before = counts(store)
    with pytest.raises(NotFoundError, match="give its type"):
        store.retry(lambda s: edit_claim(s, funds.id, {"object": "Harbour Friendship Society"}, "ana"))
    entry = store.retry(lambda s: edit_claim(s, funds.id, {"object": "Harbour Friendship Society"}, "ana",
                                             object_type="organization").id)
    with store.read() as s:
        [view] = list_claims(s, predicate="funds")
        assert view.object == "Harbour Friendship Society" and view.documents == 3
        society = find_entity(s, "Harbour Friendship Society")
        # each document now reads the new entity: a later merge or split moves the evidence with it
        assert s.scalar(select(func.count(DocEntityRow.id)).where(DocEntityRow.entity_id == society.id)) == 3
    store.retry(lambda s: undo(s, entry, "ana"))
    assert counts(store) == before
    with store.read() as s:
        assert [v.object for v in list_claims(s, predicate="funds")] == ["Wen Bo"]
