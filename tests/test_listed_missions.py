"""Missions named together by one plural noun ("Iran's consulates in Frankfurt, Hamburg and Munich"):
one mission per place, each in its own place only (pipeline/listed_missions.py; the real spaCy model)."""

from __future__ import annotations

import pytest

from frontwatch.extract import extract_one
from frontwatch.model import Document, Extraction


def run(text: str) -> Extraction:
    return extract_one(Document(id="t", text=text))


def triples(result: Extraction) -> set[tuple[str, str, str]]:
    return {(c.subject, c.predicate, c.object) for c in result.claims}


FOUR = "Ottawa counts four Chinese Consulates, in Vancouver, Calgary, Toronto and Montreal, all of them busy."


@pytest.mark.parametrize(("text", "state", "missions"), [
    ("In November the ministry shut Iran's consulates in Frankfurt, Hamburg and Munich and sent staff home.",
     "Iran", [f"Iranian consulate in {c}" for c in ("Frankfurt", "Hamburg", "Munich")]),
    (FOUR, "China", [f"Chinese Consulate in {c}" for c in ("Vancouver", "Calgary", "Toronto", "Montreal")]),
    ("Berlin closed Iran's three consulates-general in Frankfurt, Hamburg and Munich on Thursday.",
     "Iran", [f"Iranian consulate-general in {c}" for c in ("Frankfurt", "Hamburg", "Munich")]),
])
def test_each_place_of_the_list_has_its_own_mission(text: str, state: str, missions: list[str]) -> None:
    result = run(text)
    found = {e.name: e for e in result.entities}
    assert all(m in found and found[m].type == "diplomatic_mission" for m in missions), sorted(found)
    got = triples(result)
    cities = [m.rsplit(" in ", 1)[1] for m in missions]
    for mission, city in zip(missions, cities, strict=True):
        assert (mission, "located_in", city) in got
        assert (mission, "affiliated_with", state) in got
        # a mission of the list is in its own city, never in the others
        assert not any((mission, "located_in", other) in got for other in cities if other != city)
        # the plural noun says where the text names it; it is no alias ("consulates" would join them)
        assert found[mission].aliases == []
        assert [m.text.lower().split("-")[0] for m in found[mission].mentions] == ["consulates"]


def test_a_known_mission_of_a_list_is_the_gazetteer_entry() -> None:
    result = run(FOUR)
    calgary = next(e for e in result.entities if e.name == "Chinese Consulate in Calgary")
    assert calgary.gazetteer_id == "cn-consulate-calgary"


@pytest.mark.parametrize("text", [
    # no state before the noun: whose consulates they are is said elsewhere, if at all
    "The minister said the consulates in Frankfurt, Hamburg and Munich would close within a week.",
    # a city and its province, not a list of places
    "Reporters found that Chinese consulates in Toronto, Ontario, had hosted the meetings.",
    # a single place: "consulates in" one city is no list
    "Analysts say Iran's consulates in Frankfurt have grown busier this year.",
])
def test_no_mission_without_a_state_and_a_list(text: str) -> None:
    result = run(text)
    assert not [e.name for e in result.entities if e.type == "diplomatic_mission"]
