"""Issue 13, data integrity: undo restores exactly (or refuses), ingest follows an analyst's merges,
tracker rows are never dropped, versions of one local file count once. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from frontwatch.errors import FrontwatchError
from frontwatch.model import Document
from frontwatch.store.curation import merge, review, undo
from frontwatch.store.db import Store
from frontwatch.store.ingest import ingest
from frontwatch.store.queries import list_claims, stats
from frontwatch.store.schema import ClaimRow, SearchRow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

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


def snapshot(store: Store) -> tuple[dict[str, Any], list[tuple[Any, ...]], int]:
    """Stats, every claim with its evidence and review state, and the number of search rows."""
    with store.read() as s:
        claims = sorted((v.subject, v.predicate, v.object, v.tactic, v.stance, v.documents, v.publishers,
                         v.review_status, v.reviewed_by, tuple(sorted(x.evidence for x in v.sources)))
                        for v in list_claims(s, min_sources=0))
        return stats(s), claims, int(s.scalar(select(func.count(SearchRow.id))) or 0)


# --- 1. undo restores exactly, or refuses while later merges depend on it ------------------------

def test_undo_out_of_order_refuses_and_in_order_restores_exactly(store: Store) -> None:
    ingest(store, docs())
    before = snapshot(store)
    first = store.retry(lambda s: merge(s, "CSIS", "RCMP", "ana").id)
    second = store.retry(lambda s: merge(s, "China", "CSIS", "ana").id)
    with pytest.raises(FrontwatchError, match=f"later entry {second} depends on it"):
        store.retry(lambda s: undo(s, first, "ana"))
    store.retry(lambda s: undo(s, second, "ana"))
    store.retry(lambda s: undo(s, first, "ana"))
    assert snapshot(store) == before
    with store.read() as s:
        pairs = {(v.subject, v.object) for v in list_claims(s, predicate="investigates")}
    # the sources say the RCMP charged Amrit Singh: the undone merge left it the RCMP's claim
    assert ("Royal Canadian Mounted Police", "Amrit Singh") in pairs
    assert ("Canadian Security Intelligence Service", "Amrit Singh") not in pairs


def test_merge_and_undo_leave_stats_identical(store: Store) -> None:
    ingest(store, docs())
    with store.read() as s:
        (funds,) = list_claims(s, predicate="funds")
    store.retry(lambda s: review(s, "claim", str(funds.id), "accepted", "ana").id)
    before = snapshot(store)
    with store.read() as s:
        n_claims = s.scalar(select(func.count(ClaimRow.id)))
    # the consulate's reviewed funding claim moves onto Wen Bo's new self-claim... and back
    entry = store.retry(lambda s: merge(s, "Wen Bo", "Chinese Consulate in Toronto", "ana").id)
    with store.read() as s:
        assert s.scalar(select(func.count(ClaimRow.id))) > n_claims  # the merge made new claims
    store.retry(lambda s: undo(s, entry, "ana"))
    assert snapshot(store) == before


def test_undo_refused_over_http_with_409(store: Store, tmp_path: Path) -> None:
    from web_helpers import add_users, client, login

    if not store.is_sqlite:
        pytest.skip("the API is the same on both stores; one is enough")
    ingest(store, docs())
    first = store.retry(lambda s: merge(s, "CSIS", "RCMP", "ana").id)
    store.retry(lambda s: merge(s, "China", "CSIS", "ana").id)
    url = store.url
    store.close()
    add_users(url)
    c = client(url)
    h = {"X-CSRF-Token": login(c, "ana")}
    r = c.post(f"/api/audit/{first}/undo", headers=h)
    assert r.status_code == 409 and "depends on it" in r.json()["detail"]


def test_undo_refused_on_the_command_line(store: Store) -> None:
    if not store.is_sqlite:
        pytest.skip("the command is the same on both stores; one is enough")
    ingest(store, docs())
    first = store.retry(lambda s: merge(s, "CSIS", "RCMP", "ana").id)
    store.retry(lambda s: merge(s, "China", "CSIS", "ana").id)
    url = store.url
    store.close()
    done = subprocess.run([sys.executable, "-m", "frontwatch", "undo", str(first), "--db", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("frontwatch: audit entry") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# --- 2. ingest follows an analyst's merges ---------------------------------------------------------

WANG = [Document(id="w1", url="https://a.example/1", title="One", date="2023-01-01",
                 text="The RCMP investigated Wang Xiaoming in Vancouver in 2021."),
        Document(id="w2", url="https://b.example/2", title="Two", date="2023-02-01",
                 text="Tony Wang funded the Chinese Consulate in Toronto in 2022.")]
LATER = Document(id="w3", url="https://c.example/3", title="Three", date="2023-03-01",
                 text="Tony Wang met Karan Singh in Surrey. The Mounties investigated Karan Singh.")


def live_entities(store: Store) -> int:
    with store.read() as s:
        return int(stats(s)["entities"])


def test_ingest_resolves_names_and_gazetteer_ids_of_merged_entities(store: Store) -> None:
    from frontwatch.store.queries import find_entity
    from frontwatch.store.schema import DocEntityRow, DocumentRow

    ingest(store, docs() + WANG)
    with store.read() as s:
        keep = find_entity(s, "Wang Xiaoming", fuzzy=False).id
        gone = find_entity(s, "Tony Wang", fuzzy=False).id
        csis, rcmp = find_entity(s, "CSIS", fuzzy=False).id, find_entity(s, "RCMP", fuzzy=False).id
        assert keep != gone and csis != rcmp
    people = store.retry(lambda s: merge(s, "Wang Xiaoming", "Tony Wang", "ana").id)
    bodies = store.retry(lambda s: merge(s, "CSIS", "RCMP", "ana").id)
    n_live = live_entities(store)
    ingest(store, [LATER])
    assert live_entities(store) == n_live  # Tony Wang, the Mounties, Karan Singh, Surrey: all known

    def entity_in_w3(s: Any, name: str) -> int:
        doc = s.scalars(select(DocumentRow.id).where(DocumentRow.doc_key == "w3")).one()
        return int(s.scalars(select(DocEntityRow.entity_id).where(
            DocEntityRow.document_id == doc, DocEntityRow.local_name == name)).one())

    with store.read() as s:
        assert entity_in_w3(s, "Tony Wang") == keep  # by the merged-away name
        assert entity_in_w3(s, "Royal Canadian Mounted Police") == csis  # the Mounties: ca-rcmp
        assert find_entity(s, "Tony Wang", fuzzy=False).id == keep
    # undoing the merges: every name is one entity's again, and the later mentions follow their names
    store.retry(lambda s: undo(s, bodies, "ana"))
    store.retry(lambda s: undo(s, people, "ana"))
    with store.read() as s:
        assert find_entity(s, "Tony Wang", fuzzy=False).id == gone
        assert find_entity(s, "Wang Xiaoming", fuzzy=False).id == keep
        assert find_entity(s, "Mounties", fuzzy=False).id == rcmp
        assert find_entity(s, "CSIS", fuzzy=False).id == csis
        assert entity_in_w3(s, "Tony Wang") == gone
        assert entity_in_w3(s, "Royal Canadian Mounted Police") == rcmp
        met = {(v.subject, v.object) for v in list_claims(s, predicate="meets")}
        assert any("Tony Wang" in pair for pair in met)


# --- 3. every tracker row is its own record --------------------------------------------------------

TRACKER = """Attribution ID,Date of attribution,Attribution source,Attributed actor,Actor country,\
Target country,Election targeted,Platforms,Tactics,Description,Source URL
T-1,2024-01-26,Meta,Spamouflage,China,Canada,,X,Inauthentic accounts,Fake accounts spread claims.,https://a.example/
T-2,2024-02-26,Meta,Spamouflage,China,Germany,,X,Inauthentic accounts,Fake accounts spread claims.,https://a.example/
,2024-03-26,Meta,Doppelganger,Russia,France,,X,Inauthentic accounts,Fake accounts spread claims.,
,2024-04-26,Meta,Doppelganger,Russia,Italy,,X,Inauthentic accounts,Fake accounts spread claims.,
"""


def test_tracker_rows_with_the_same_description_are_all_kept(store: Store, tmp_path: Path) -> None:
    from frontwatch.importers.tracker_csv import bundled_mapping, read
    from frontwatch.store.ingest import store_extractions

    sheet = tmp_path / "tracker.csv"
    sheet.write_text(TRACKER)
    rows = read(sheet, bundled_mapping("dfrlab_fiat"), extract=False)
    assert len(rows) == 4
    report = store_extractions(store, rows)
    assert (len(report.new), report.unchanged, report.failed) == (4, [], [])
    with store.read() as s:
        assert stats(s)["documents"] == 4
        targets = {v.object for v in list_claims(s, predicate="interferes_in")}
    assert targets >= {"Canada", "Germany", "France", "Italy"}
    again = store_extractions(store, read(sheet, bundled_mapping("dfrlab_fiat"), extract=False))
    assert (again.new, len(again.unchanged)) == ([], 4)  # importing the sheet again adds nothing


# --- 4. versions of one local file count once -----------------------------------------------------

def test_an_edited_local_file_is_a_new_version_of_one_source(store: Store, tmp_path: Path) -> None:
    from frontwatch.sources import iter_documents

    report = tmp_path / "report.txt"
    other = tmp_path / "other.txt"
    report.write_text("The RCMP investigated Wen Bo in 2022.\n")
    other.write_text("The RCMP investigated Wen Bo, the paper said.\n")
    assert len(ingest(store, iter_documents([report])).new) == 1
    report.write_text("The RCMP investigated Wen Bo in 2022. Ottawa protested.\n")
    assert len(ingest(store, iter_documents([report])).updated) == 1
    with store.read() as s:
        (view,) = list_claims(s, predicate="investigates")
    assert view.documents == 1  # two versions of one file
    assert len(ingest(store, iter_documents([other])).new) == 1  # another file is another source
    with store.read() as s:
        (view,) = list_claims(s, predicate="investigates")
    assert view.documents == 2
