"""The map's data (/api/places): an entity located in both a country and a city, provinces that share a
name with a city abroad (Ontario, California), and the seed corpus ingested whole (issue 14 item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from spacy.language import Language
from web_helpers import client

from frontwatch.model import Claim, Document, Entity, Evidence, Extraction, Mention
from frontwatch.store.db import Store
from frontwatch.store.ingest import ingest, store_extractions
from frontwatch.web.routers.places import locate

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def _extraction(doc_id: str, sentence: str, names: dict[str, str],
                claims: list[tuple[str, str]]) -> Extraction:
    ents = [Entity(name=n, type=t, mentions=[Mention(sentence.index(n), sentence.index(n) + len(n), n)])
            for n, t in names.items()]
    return Extraction(
        document=Document(id=doc_id, text=sentence, source=f"{doc_id}.txt"), entities=ents,
        claims=[Claim(subject=s, predicate="located_in", object=o, stance="asserted", attributed_to=None,
                      tactic=None, evidence=Evidence(sentence, 0, len(sentence))) for s, o in claims])


@pytest.fixture(scope="module")
def located(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A station located in a city and in a country, and an office in Ontario."""
    url = f"sqlite:///{tmp_path_factory.mktemp('places') / 'places.db'}"
    store = Store(url)
    s1 = "The Harbour Service Station is in Toronto, in Canada, and the Maple Office is in Ontario."
    report = store_extractions(store, [_extraction(
        "located", s1,
        {"Harbour Service Station": "organization", "Toronto": "place", "Canada": "country",
         "Maple Office": "organization", "Ontario": "place"},
        [("Harbour Service Station", "Canada"), ("Harbour Service Station", "Toronto"),
         ("Maple Office", "Ontario")])])
    assert not report.failed
    store.close()
    return client(url)


def test_an_entity_in_a_country_and_a_city_is_on_the_map_once(located: TestClient) -> None:
    r = located.get("/api/places")
    assert r.status_code == 200, r.text
    by_name = {p["name"]: p for p in r.json()["places"]}
    station = by_name["Harbour Service Station"]
    assert station["country"] == "CA" and 43 < station["lat"] < 44 and station["stance"] == "asserted"
    assert "Ontario" not in by_name and "Maple Office" not in by_name  # a province is no city point


@pytest.mark.parametrize(("name", "country", "also", "expected"), [
    ("Ontario", "CA", "", None),  # the province, never Ontario, California
    ("Toronto", "CA", "", "CA"),
    ("London", None, "", "GB"),
    ("Ontario", None, "", "US"),  # with no country known the most populous namesake stands
    ("Hong Kong", "CN", "HK", "HK"),  # the gazetteer's CN, geonames' HK: the place's own code counts
    ("Hong Kong", "CN", "", None),
])
def test_locate_keeps_to_the_known_country(name: str, country: str | None, also: str, expected: str | None
                                           ) -> None:
    found = locate(name, country, frozenset({also} - {""}))
    assert (found[2] if found else None) == expected


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory, pipeline: Language) -> TestClient:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed corpus is not here ({SEEDS})")
    from frontwatch.sources import iter_documents

    url = f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'seeds.db'}"
    store = Store(url)
    report = ingest(store, iter_documents([SEEDS]))
    assert not report.failed and report.new
    store.close()
    return client(url)


def test_the_map_of_the_seeds(seeds: TestClient) -> None:
    r = seeds.get("/api/places")
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    assert data["places"] and data["countries"]
    for p in data["places"]:
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
        if p["name"] in ("Ontario", "Toronto", "Vancouver", "Calgary", "Montreal",
                         "Chinese Consulate in Toronto"):
            assert p["country"] == "CA", p
    assert any(c["iso2"] == "CA" and c["claims"] > 0 for c in data["countries"])
