"""Browse pages' API (issue 14 item 5): documents, entities and claims with facets counted under the other
filters, sorting, pages, CSV/JSON Lines downloads of exactly what is listed, and the home page's numbers."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import client, copy_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FORMULA_TITLE = "=HYPERLINK(\"http://evil.example\",\"click\")"


@pytest.fixture(scope="module")
def c(example_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """The example store with publishers and days on three documents (the others undated) and a title a
    spreadsheet would run."""
    url = copy_store(example_store_url, tmp_path_factory.mktemp("browse"))
    with sqlite3.connect(url.split("///", 1)[1]) as db:
        db.execute("UPDATE documents SET published = NULL")
        db.execute("UPDATE documents SET publisher = 'Globe', published = '2023-05-01' WHERE id IN (1, 2)")
        db.execute("UPDATE documents SET publisher = 'Post', published = '2024-02-10' WHERE id = 3")
        db.execute("UPDATE documents SET title = ? WHERE id = 4", (FORMULA_TITLE,))
    return client(url)


def get(c: TestClient, path: str, **params: Any) -> Any:
    r = c.get(path, params=params)
    assert r.status_code == 200, (path, params, r.text)
    return r.json()


@pytest.mark.parametrize(("kind", "sort", "key"), [
    ("documents", "title", "title"), ("documents", "-claims", "claims"), ("entities", "name", "name"),
    ("entities", "-documents", "documents"), ("claims", "-confidence", "confidence"),
    ("claims", "documents", "documents"),
])
def test_sorting_and_pages(c: TestClient, kind: str, sort: str, key: str) -> None:
    whole = get(c, f"/api/browse/{kind}", sort=sort, limit=500)
    values = [i[key] for i in whole["items"]]
    wanted = sorted(values, key=lambda v: v.lower() if isinstance(v, str) else v, reverse=sort[0] == "-")
    assert values == wanted and whole["sort"] == sort and whole["total"] == len(values) > 5
    page = get(c, f"/api/browse/{kind}", sort=sort, limit=3, offset=2)
    assert [i["id"] for i in page["items"]] == [i["id"] for i in whole["items"][2:5]]
    assert page["total"] == whole["total"]


@pytest.mark.parametrize(("kind", "facet", "field"), [
    ("documents", "publisher", "publisher"), ("entities", "type", "type"), ("entities", "country", "country"),
    ("claims", "predicate", "predicate"), ("claims", "tactic", "tactic"),
])
def test_facets_count_what_choosing_them_lists(c: TestClient, kind: str, facet: str, field: str) -> None:
    counts = get(c, f"/api/browse/{kind}")["facets"][facet]
    assert counts
    for value, n in list(counts.items())[:4]:
        chosen = get(c, f"/api/browse/{kind}", limit=500, **{facet: value})
        assert chosen["total"] == n and all(i[field] == value for i in chosen["items"])
        assert chosen["facets"][facet] == counts  # a facet's counts ignore its own choice


def test_claim_facets_mean_what_the_claim_filters_mean(c: TestClient) -> None:
    facets = get(c, "/api/browse/claims")["facets"]
    assert facets["stance"] and facets["review_status"] == {"pending": get(c, "/api/browse/claims")["total"]}
    for stance, n in facets["stance"].items():  # the same Filters as /api/claims, the graph and exports
        assert get(c, "/api/claims", stance=stance, limit=1)["total"] == n
        assert get(c, "/api/browse/claims", stance=stance)["total"] == n
    # the other example documents are bylined "By frontwatch example desk"
    assert {"Globe", "Post"} <= set(facets["publisher"]) <= {"Globe", "Post", "frontwatch example desk"}
    for name, n in facets["publisher"].items():
        items = get(c, "/api/browse/claims", publisher=name, limit=500)["items"]
        assert len(items) == n and all(any(s["publisher"] == name for s in i["sources"]) for i in items)
    country = next(iter(facets["country"]))
    items = get(c, "/api/browse/claims", country=country, limit=500)["items"]
    ends = {e["id"]: e["country"] for e in get(c, "/api/browse/entities", limit=500)["items"]}
    assert len(items) == facets["country"][country]
    assert all(country in (ends.get(i["subject_id"]), ends.get(i["object_id"])) for i in items)
    combined = get(c, "/api/browse/claims", country=country, type="country", predicate="interferes_in")
    assert combined["total"] <= len(items)
    assert all(i["predicate"] == "interferes_in" for i in combined["items"])
    for i in items:  # stance and attribution travel with every claim
        assert i["stance"] and isinstance(i["alleged_by"], list) and isinstance(i["denied_by"], list)


def test_document_dates_and_entity(c: TestClient) -> None:
    assert get(c, "/api/browse/documents", since="2023-01-01", until="2023-12-31")["total"] == 2
    assert get(c, "/api/browse/documents", since="2024-01-01")["total"] == 1
    facets = get(c, "/api/browse/documents", since="2024-01-01")["facets"]
    assert facets["year"] == {"2023": 2, "2024": 1}  # the years ignore the date range chosen
    claim = get(c, "/api/browse/claims", limit=1)["items"][0]
    docs = get(c, "/api/browse/documents", entity=claim["subject_id"], limit=500)["items"]
    assert {s["document"] for s in claim["sources"]} <= {d["key"] for d in docs}
    assert get(c, "/api/browse/documents", q="charter flight")["total"] == 1


@pytest.mark.parametrize("kind", ["documents", "entities", "claims"])
def test_exports_are_exactly_what_is_listed(c: TestClient, kind: str) -> None:
    params = {"sort": "-id" if kind == "claims" else "-created" if kind == "entities" else "title",
              "limit": 7, "offset": 1}
    listed = [i["id"] for i in get(c, f"/api/browse/{kind}", **params)["items"]]
    r = c.get(f"/api/browse/{kind}/export", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert f"frontwatch-{kind}.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == listed
    assert all(line.startswith('"') for line in r.text.splitlines())  # every cell quoted
    r = c.get(f"/api/browse/{kind}/export", params={**params, "format": "jsonl"})
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [x["id"] for x in lines] == listed
    if kind == "claims":
        assert all(row["stance"] and "alleged_by" in row and "denied_by" in row for row in rows)


def test_csv_export_neutralises_formulas(c: TestClient) -> None:
    r = c.get("/api/browse/documents/export", params={"format": "csv", "q": "HYPERLINK"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["title"] for row in rows] == ["'" + FORMULA_TITLE]


@pytest.mark.parametrize(("path", "params"), [
    ("/api/browse/claims", {"sort": "nothing"}), ("/api/browse/entities", {"country": "china"}),
    ("/api/browse/places", {}), ("/api/browse/claims", {"stance": "rumoured"}),
    ("/api/browse/documents", {"since": "May 2023"}), ("/api/browse/claims/export", {"format": "xlsx"}),
    ("/api/browse/documents", {"limit": 501}),
])
def test_bad_choices_are_4xx(c: TestClient, path: str, params: dict[str, Any]) -> None:
    r = c.get(path, params=params)
    assert r.status_code in (404, 422), r.text
    assert "detail" in r.json()


def test_home_counts_and_backlog(c: TestClient) -> None:
    home = get(c, "/api/home")
    assert home["documents"] == 10 and home["entities"] == get(c, "/api/browse/entities")["total"]
    assert home["pending_claims"] == get(c, "/api/claims", review_status="pending")["total"] > 0
    assert home["claims"] == get(c, "/api/browse/claims")["total"]
    assert len(home["recent_documents"]) == 10 and home["recent_documents"][0]["id"] == 10


def test_pages_render(c: TestClient, example_store_url: str, tmp_path: Path) -> None:
    for path, marker in (("/documents", 'data-kind="documents"'), ("/entities", 'data-kind="entities"'),
                         ("/claims", 'data-kind="claims"'), ("/", 'id="home"'),
                         ("/search", 'id="search-form"'), ("/?q=CSIS", 'id="search-form"')):
        r = c.get(path)
        assert r.status_code == 200 and marker in r.text, path
    from web_helpers import add_users
    url = copy_store(example_store_url, tmp_path)
    add_users(url)
    locked = client(url)
    for path in ("/documents", "/claims", "/", "/search"):
        assert locked.get(path).status_code == 303
        assert locked.get(path.replace("/", "/api/browse/", 1) if path not in ("/", "/search")
                          else "/api/home").status_code == 401


def test_browse_and_investigations_on_postgresql(pg_empty_url: str, pipeline: object) -> None:
    from web_helpers import add_users, login

    from frontwatch.model import Document
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import ingest

    fixture = Path(__file__).parent / "fixtures" / "store" / "reports.jsonl"
    docs = [Document(id=r["id"], text=r["text"], title=r["title"], url=r["url"], date=r["date"],
                     publisher="Globe") for r in map(json.loads, fixture.read_text().splitlines())]
    store = Store(pg_empty_url)
    assert len(ingest(store, docs[:2]).new) == 2
    store.close()
    add_users(pg_empty_url)
    pg = client(pg_empty_url)
    headers = {"X-CSRF-Token": login(pg, "ana")}
    for kind in ("documents", "entities", "claims"):
        whole = get(pg, f"/api/browse/{kind}", limit=500)
        assert whole["total"] == len(whole["items"]) > 0
        for facet, counts in whole["facets"].items():
            for value, n in list(counts.items())[:2]:
                choice = {facet: value} if facet != "year" else {"since": f"{value}-01-01",
                                                                  "until": f"{value}-12-31"}
                assert get(pg, f"/api/browse/{kind}", **choice)["total"] == n, (kind, facet)
        r = pg.get(f"/api/browse/{kind}/export", params={"format": "csv", "sort": "-id" if kind == "claims"
                                                          else "-created" if kind == "entities" else "title"})
        assert r.status_code == 200 and len(list(csv.DictReader(io.StringIO(r.text)))) == whole["total"]
    claims = get(pg, "/api/browse/claims")
    assert claims["facets"]["publisher"] == {"Globe": claims["total"]}
    assert get(pg, "/api/home")["documents"] == 2
    edges = get(pg, "/api/graph/network")["edges"][:2]
    ents = sorted({e["subject_id"] for e in edges} | {e["object_id"] for e in edges})
    made = pg.post("/api/investigations", headers=headers, json={
        "name": "pg", "entity_ids": ents, "claim_ids": [e["id"] for e in edges],
        "layout": {str(ents[0]): {"x": 1.5, "y": 2}}})
    assert made.status_code == 201, made.text
    inv = made.json()["id"]
    assert pg.put(f"/api/investigations/{inv}", headers=headers, json={"notes": "x"}).json()["notes"] == "x"
    assert pg.get(f"/api/investigations/{inv}/export", params={"format": "gexf"}).status_code == 200
    assert pg.delete(f"/api/investigations/{inv}", headers=headers).status_code == 204
