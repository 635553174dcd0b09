"""Honest summaries and real time (issue 14 items 2 and 3): a claim some source denies is `contested`,
its sources' stances are counted with who takes them, `--stance` means the same in `claims`, the graph and
exports; claims are dated by the event dates their sentences give, else their documents' published days,
never the day they were ingested, and every consumer says which."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import client

from frontwatch.dates import event_period, period_label, published_day
from frontwatch.errors import SourceError
from frontwatch.export.stix import to_bundle
from frontwatch.graph.filters import STANCE_FILTERS, Filters
from frontwatch.graph.network import load_network
from frontwatch.importers import stix as stix_import
from frontwatch.model import Claim, Document, Entity, Evidence, Extraction, Mention
from frontwatch.sources import load_file
from frontwatch.sources.html import extract_page
from frontwatch.store.db import Store, migration_config
from frontwatch.store.ingest import store_extractions
from frontwatch.store.queries import entity_profile, list_claims, stats

TYPES = {"CSIS": "state_body", "China": "country", "Canada": "country", "Harbour Association": "organization",
         "Maple Club": "organization", "Wen Bo": "person", "RCMP": "state_body"}


def extraction(key: str, text: str, claims: list[dict[str, Any]], date: str | None = None,
               publisher: str | None = None) -> Extraction:
    """One sentence's document with the named entities it mentions and the claims it makes."""
    ents = [Entity(name=n, type=t, mentions=[Mention(text.index(n), text.index(n) + len(n), n)])
            for n, t in TYPES.items() if n in text]
    return Extraction(
        document=Document(id=key, text=text, date=date, publisher=publisher, source=f"{key}.txt"),
        entities=ents,
        claims=[Claim(evidence=Evidence(text, 0, len(text)), tactic=None, **c) for c in claims])


def interferes(stance: str, by: str | None, date: str | None = None) -> dict[str, Any]:
    return {"subject": "China", "predicate": "interferes_in", "object": "Canada", "stance": stance,
            "attributed_to": by, "date": date}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('summaries') / 'summaries.db'}"
    store = Store(url)
    report = store_extractions(store, [
        extraction("a", "CSIS alleges that China interfered in Canada in June 2022.",
                   [interferes("alleged", "CSIS", "June 2022")], date="2023-05-01", publisher="Globe"),
        extraction("b", "RCMP said China interfered in Canada.", [interferes("alleged", "RCMP")],
                   publisher="Post"),
        extraction("c", "China denied that it interfered in Canada.", [interferes("denied", "China")]),
        extraction("d", "The Harbour Association funds the Maple Club.",
                   [{"subject": "Harbour Association", "predicate": "funds", "object": "Maple Club",
                     "stance": "asserted", "attributed_to": None}], date="2024-01-10", publisher="Globe"),
        extraction("e", "Wen Bo is a member of the Maple Club.",
                   [{"subject": "Wen Bo", "predicate": "affiliated_with", "object": "Maple Club",
                     "stance": "asserted", "attributed_to": None}]),
    ])
    assert not report.failed and len(report.new) == 5
    store.close()
    return url


def by_subject(views: list[Any]) -> dict[str, Any]:
    return {v.subject: v for v in views}


def test_a_denied_claim_is_contested_with_every_stance_counted(store_url: str) -> None:
    with Store(store_url).read() as session:
        views = by_subject(list_claims(session))
        china = views["China"]
        assert china.stance == "contested"  # 2 alleged, 1 denied: never shown as plain "alleged"
        assert china.stance_counts == {"alleged": 2, "denied": 1}
        assert china.alleged_by == ["CSIS", "RCMP"] and china.denied_by == ["China"]
        assert views["Harbour Association"].stance == "asserted"
        assert views["Harbour Association"].stance_counts == {"asserted": 1}
        counted = stats(session)
        assert counted["claims_by_stance"] == {"contested": 1, "asserted": 2}
        assert counted["publishers"] == 2


@pytest.mark.parametrize("stance", STANCE_FILTERS)
def test_stance_filters_mean_the_same_in_claims_and_the_graph(store_url: str, stance: str) -> None:
    with Store(store_url).read() as session:
        listed = {v.subject for v in list_claims(session, stance=stance)}
        network = load_network(session, Filters(stance=stance))
        graphed = {network.nodes[e.source].name for e in network.edges}
    expected = {"asserted": {"Harbour Association", "Wen Bo"}, "alleged": {"China"}, "denied": {"China"},
                "contested": {"China"}}[stance]
    assert listed == graphed == expected


def test_claims_are_dated_by_events_then_published_days_never_ingest(store_url: str) -> None:
    with Store(store_url).read() as session:
        views = by_subject(list_claims(session))
        edges = {e.id: e for e in load_network(session).edges}
        got = {name: (v.first_seen, v.last_seen, v.date_source, edges[v.id].date_source)
               for name, v in views.items()}
        june = {v.subject for v in list_claims(session, since="2022-06-15", until="2022-06-20")}
        later = {v.subject for v in list_claims(session, since="2023-01-01")}
    assert got == {
        "China": ("2022-06-01", "2022-06-30", "event", "event"),  # the sentence's date, not 2023-05-01
        "Harbour Association": ("2024-01-10", "2024-01-10", "published", "published"),
        "Wen Bo": (None, None, None, None),  # no date anywhere: unknown, not the day it was ingested
    }
    assert june == {"China"} and later == {"Harbour Association"}


def test_profile_lists_accusations_documents_and_publishers(store_url: str) -> None:
    with Store(store_url).read() as session:
        csis = entity_profile(session, "CSIS")
        china = entity_profile(session, "China")
        maple = entity_profile(session, "Maple Club")
    assert [(c["subject"], c["predicate"], c["object"], c["stance"]) for c in csis["accuses"]] == [
        ("China", "interferes_in", "Canada", "contested")]
    assert [d["key"] for d in csis["document_list"]] == ["a"] and csis["publishers"] == ["Globe"]
    assert [c["subject"] for c in china["accuses"]] == ["China"]  # it denies: that is its own statement
    assert csis["documents"] == 1 and china["documents"] == 3
    assert {d["key"] for d in maple["document_list"]} == {"d", "e"}
    assert maple["document_list"][0]["published"] == "2024-01-10"  # dated documents first


def test_api_contested_filter_distribution_and_timeline(store_url: str) -> None:
    c: TestClient = client(store_url)
    items = c.get("/api/claims", params={"stance": "contested"}).json()["items"]
    assert [(i["subject"], i["stance"], i["stance_counts"], i["date_source"]) for i in items] == [
        ("China", "contested", {"alleged": 2, "denied": 1}, "event")]
    assert c.get("/api/claims", params={"stance": "opinion"}).status_code == 422
    timeline = c.get("/api/timeline").json()["items"]
    assert [(i["subject"], i["date"], i["date_source"]) for i in timeline] == [
        ("China", "2022-06-01", "event"), ("Harbour Association", "2024-01-10", "published"),
        ("Wen Bo", None, None)]
    june = c.get("/api/graph/network", params={"since": "2022-06-01", "until": "2022-06-30"}).json()
    assert [(e["predicate"], e["stance"], e["date_source"]) for e in june["edges"]] == [
        ("interferes_in", "contested", "event")]


def test_stix_relationships_carry_event_dates_and_come_back(store_url: str, tmp_path: Path) -> None:
    with Store(store_url).read() as session:
        bundle = to_bundle(load_network(session))
    rels = {r["x_frontwatch_stance"]: r for r in bundle["objects"] if r["type"] == "relationship"}
    contested = rels["contested"]
    assert contested["start_time"] == "2022-06-01T00:00:00.000Z"
    assert contested["stop_time"] == "2022-06-30T23:59:59.999Z"
    assert contested["x_frontwatch_date_source"] == "event"
    assert contested["x_frontwatch_stance_counts"] == {"alleged": 2, "denied": 1}
    undated = [r for r in bundle["objects"] if r["type"] == "relationship" and "start_time" not in r]
    assert len(undated) == 1 and "x_frontwatch_date_source" not in undated[0]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    back = stix_import.read(path)  # a contested headline is read back, each sentence with its own stance
    stances = sorted(c.stance for ex in back for c in ex.claims if c.predicate == "interferes_in")
    assert stances == ["alleged", "alleged", "denied"]


@pytest.mark.parametrize(("text", "period"), [
    ("June 2022", ("2022-06-01", "2022-06-30")),
    ("April 17, 2023", ("2023-04-17", "2023-04-17")),
    ("17 April 2023", ("2023-04-17", "2023-04-17")),
    ("since 2019", ("2019-01-01", "2019-12-31")),
    ("between April 2021 and July 2022", ("2021-04-01", "2022-07-31")),
    ("the 1990s", ("1990-01-01", "1999-12-31")),
    ("2023-04", ("2023-04-01", "2023-04-30")),
    ("61", None),  # "Wang, 61," is an age
    ("in June", None),  # no year: no period
    ("February 30, 2023", None),
])
def test_event_periods(text: str, period: tuple[str, str] | None) -> None:
    assert event_period(text) == period


@pytest.mark.parametrize(("value", "day"), [
    ("2024-03-15T10:00:00+00:00", "2024-03-15"), ("March 15, 2024", "2024-03-15"), ("2024", "2024"),
    ("2024-02-30", None), ("last week", None), ("", None),
])
def test_published_days(value: str, day: str | None) -> None:
    assert published_day(value) == day


FRONT = "---\ntitle: Station report\ndate: 2023-04-17\nurl: https://example.org/r\n---\n"


@pytest.mark.parametrize(("name", "body", "expected"), [
    ("front.md", FRONT + "# Heading\n\nPolice named the station.\n",
     {"date": "2023-04-17", "title": "Station report", "url": "https://example.org/r", "publisher": None}),
    ("byline.txt", "Consulates run volunteers\n\nBy Sam Cooper, Taiwan News\n\nThe CCP runs a network.\n",
     {"date": None, "title": "Consulates run volunteers", "url": None, "publisher": "Taiwan News"}),
    ("author.txt", "Headline\nBy Jane Roe – Jun 13, 2023\nText here.\n",
     {"date": None, "title": "Headline", "url": None, "publisher": "Jane Roe"}),
    ("desk.txt", "Headline\nBy frontwatch example desk\n\nText here.\n",
     {"date": None, "title": "Headline", "url": None, "publisher": "frontwatch example desk"}),
    ("staff.md", "# Headline\n\nBy the Reuters staff\n\nText here.\n",
     {"date": None, "title": "Headline", "url": None, "publisher": "the Reuters staff"}),
    ("plain.txt", "By 2020, the consulate had three staff.\n",
     {"date": None, "title": "By 2020, the consulate had three staff.", "url": None, "publisher": None}),
])
def test_text_front_matter_and_bylines(tmp_path: Path, name: str, body: str, expected: dict[str, Any]
                                       ) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    [doc] = load_file(path)
    assert {k: getattr(doc, k) for k in expected} == expected
    assert "---" not in doc.text  # the front matter block is not part of the text


@pytest.mark.parametrize("body", [
    "---\nA paragraph between two rules: it says so.\n---\nMore text.\n",  # YAML error, not fields
    "---\n- a list\n---\nMore text.\n",  # YAML, but no fields
])
def test_rules_around_text_are_text(tmp_path: Path, body: str) -> None:
    path = tmp_path / "rules.txt"
    path.write_text(body, encoding="utf-8")
    [doc] = load_file(path)
    assert doc.text == body and doc.date is None


@pytest.mark.parametrize(("body", "problem"), [
    ("---\ntitle: [unclosed\n---\nText.\n", "the front matter block is not valid YAML"),
    ("---\ndate: next spring\n---\nText.\n", "the front matter date 'next spring' is not a date"),
])
def test_bad_front_matter_is_one_line(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_file(path)
    assert problem in str(err.value) and "bad.md" in str(err.value) and "\n" not in str(err.value)


def test_html_dates_come_from_metadata_only() -> None:
    text = "<p>" + "Police named the Chinese consulate in Toronto in their report. " * 4 + "</p>"
    plain = (f"<html><head><title>T</title></head><body><article>{text}<p>Copyright 2021.</p></article>"
             "</body></html>")
    meta = '<meta property="article:published_time" content="2023-04-17T09:00:00Z">'
    tagged = plain.replace("<title>", meta + "<title>")
    assert extract_page("plain.html", plain).date is None  # no year read off the text
    assert extract_page("tagged.html", tagged).date == "2023-04-17"


def test_jsonl_dates_are_days_or_unknown_and_publishers_count(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"id": "a", "text": "One.", "date": "2024-03-15T10:00:00Z", "publisher": "Globe"}\n'
                    '{"id": "b", "text": "Two.", "date": "sometime"}\n', encoding="utf-8")
    assert [(d.date, d.publisher) for d in load_file(path)] == [("2024-03-15", "Globe"), (None, None)]


def test_ingest_date_fills_only_undated_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dated.md").write_text(FRONT + "CSIS said China interfered in Canada.\n", encoding="utf-8")
    (corpus / "undated.txt").write_text("RCMP said China funded the association.\n", encoding="utf-8")
    db = tmp_path / "s.db"

    def fw(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "frontwatch", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=300)

    bad = fw("ingest", str(corpus), "--date", "June 2021")
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "frontwatch: --date wants a date like 2023-06-30, not 'June 2021'")
    done = fw("ingest", str(corpus), "--date", "2021-02-03")
    assert done.returncode == 0, done.stderr
    with Store(f"sqlite:///{db}").read() as session:
        from sqlalchemy import select

        from frontwatch.store.schema import DocumentRow
        got = dict(session.execute(select(DocumentRow.doc_key, DocumentRow.published)).all())
    assert got == {"dated": "2023-04-17", "undated": "2021-02-03"}
    listed = fw("claims", "--stance", "contested", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    bad_until = fw("claims", "--until", "2021-13-01")
    assert bad_until.returncode == 2 and "--until wants a date like 2023-06-30" in bad_until.stderr


def test_an_older_store_gets_contested_and_event_dates(tmp_path: Path, store_url: str) -> None:
    """Migration 0007 recomputes what older summaries said: a denial hidden behind "alleged", dates
    that fell back to the day of ingest."""

    from alembic import command
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.db'}"
    with sqlite3.connect(store_url.split("///", 1)[1]) as src, sqlite3.connect(tmp_path / "old.db") as dst:
        src.backup(dst)
    store = Store(url)
    cfg = migration_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
        conn.execute(text("UPDATE claims SET stance = 'alleged' WHERE stance = 'contested'"))
        conn.execute(text("UPDATE claims SET first_seen = '2026-12-03', last_seen = '2026-12-03'"))
    store.engine.dispose()
    again = Store(url)  # opening a store upgrades it
    with again.read() as session:
        got = {v.subject: (v.stance, v.first_seen, v.last_seen) for v in list_claims(session)}
        contested = {v.subject for v in list_claims(session, stance="contested")}
        undated = {v.subject for v in list_claims(session, since="2026-01-01")}
    again.engine.dispose()
    assert got == {"China": ("contested", "2022-06-01", "2022-06-30"),
                   "Harbour Association": ("asserted", "2024-01-10", "2024-01-10"),
                   "Wen Bo": ("asserted", None, None)}
    assert contested == {"China"} and undated == set()  # the SQL columns agree with the views


@pytest.mark.parametrize(("first", "last", "label"), [
    ("2022-01-01", "2022-12-31", "2022"), ("2022-06-01", "2022-06-30", "2022-06"),
    ("2023-04-17", "2023-04-17", "2023-04-17"), ("2019-01-01", "2021-12-31", "2019 to 2021"),
    ("2021-04-01", "2022-07-31", "2021-04-01 to 2022-07-31"), (None, None, None),
])
def test_period_labels(first: str | None, last: str | None, label: str | None) -> None:
    assert period_label(first, last) == label
