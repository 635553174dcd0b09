"""Cross-document resolution: text normalisation, each pairwise feature, the matcher's rules, and the
precision/recall of `decide` on the hand-labelled pairs in fixtures/resolution_pairs.jsonl."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from frontwatch.resolve import Candidate, Thresholds, acronym, decide, norm, tokens
from frontwatch.resolve import features as f
from frontwatch.resolve.evaluation import evaluate, load_pairs

PAIRS = Path(__file__).parent / "fixtures" / "resolution_pairs.jsonl"
MIN_PRECISION = 0.95
MIN_RECALL = 0.85

Feature = Callable[[Candidate, Candidate], float]


def c(name: str, type_: str = "organization", *aliases: str, gid: str | None = None,
      state: str | None = None) -> Candidate:
    return Candidate(name, type_, tuple(aliases), gazetteer_id=gid, state=state)


def per(name: str, *aliases: str) -> Candidate:
    return c(name, "person", *aliases)


def sb(name: str, *aliases: str, gid: str | None = None, state: str | None = None) -> Candidate:
    return c(name, "state_body", *aliases, gid=gid, state=state)


def dm(name: str, *aliases: str, state: str | None = None) -> Candidate:
    return c(name, "diplomatic_mission", *aliases, state=state)


def cty(name: str, *aliases: str) -> Candidate:
    return c(name, "country", *aliases)


# --- text normalisation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The Globe and Mail", "globe and mail"),
    ("U.S.", "us"),
    ("People’s Republic of China", "people republic of china"),
    ("People's Republic of China", "people republic of china"),
    ("Mélanie  Joly", "melanie joly"),
    ("Erin O’Toole", "erin otoole"),
    ("Consulate-General", "consulate general"),
    ("R&AW", "raw"),
    ("Research & Analysis Wing", "research and analysis wing"),
    ("Thieves-in-Law", "thieves in law"),
    ("the Hague", "hague"),
])
def test_norm(text: str, expected: str) -> None:
    assert norm(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Canadian Security Intelligence Service", "CSIS"),
    ("People's Republic of China", "PRC"),
    ("Royal Canadian Mounted Police", "RCMP"),
    ("United Front Work Department", "UFWD"),
    ("Centre for the Protection of National Infrastructure", "CPNI"),
    ("Macdonald-Laurier Institute", "MLI"),
])
def test_acronym(text: str, expected: str) -> None:
    assert acronym(text) == expected


def test_tokens() -> None:
    assert tokens("The Chinese Consulate-General in Toronto") == ["chinese", "consulate", "general", "in",
                                                                 "toronto"]


def test_candidate_forms_dedupe_after_norm() -> None:
    assert c("CSIS", "state_body", "C.S.I.S.", "csis", "Canada's spy agency").forms == (
        "CSIS", "Canada's spy agency")


# --- features: (feature, a, b, expected) ----------------------------------------------------------

FEATURE_CASES: list[tuple[Feature, Candidate, Candidate, float]] = [
    (f.same_gazetteer_id, sb("CSIS", gid="ca-csis"), sb("Canada's spy agency", gid="ca-csis"), 1.0),
    (f.same_gazetteer_id, sb("House of Commons", gid="ca-house-of-commons"),
     sb("House of Commons", gid="gb-house-of-commons"), 0.0),
    (f.same_gazetteer_id, sb("CSIS", gid="ca-csis"), sb("CSIS"), 0.5),
    (f.exact_name, c("The Globe and Mail"), c("Globe and Mail"), 1.0),
    (f.exact_name, c("Erin O’Toole", "person"), c("Erin O'Toole", "person"), 1.0),
    (f.exact_name, c("Global News"), c("Global Times"), 0.0),
    (f.exact_name, dm("Chinese Consulate in Toronto", "the Consulate"),
     dm("Chinese Consulate in Vancouver", "the Consulate"), 0.0),  # generic aliases identify nothing
    (f.acronym_match, sb("CSIS"), sb("Canadian Security Intelligence Service"), 1.0),
    (f.acronym_match, cty("PRC"), cty("People's Republic of China"), 1.0),
    (f.acronym_match, sb("Fuzhou PSB"), sb("Fuzhou Public Security Bureau"), 1.0),
    (f.acronym_match, c("B.C. NDP"), c("British Columbia New Democratic Party"), 1.0),
    (f.acronym_match, c("SFJ"), c("Sikhs for Justice"), 1.0),
    (f.acronym_match, sb("RCMP"), sb("Canadian Security Intelligence Service"), 0.0),
    (f.acronym_match, sb("Ministry of Public Security", "MPS"), sb("Metropolitan Police Service"), 0.0),
    (f.acronym_match, sb("C"), sb("Canada"), 0.0),
    (f.same_type, sb("United Front Work Department"), c("United Front"), 0.0),
    (f.same_type, sb("RCMP"), sb("CSIS"), 1.0),
    (f.surname_conflict, per("Justin Trudeau"), per("Pierre Trudeau"), 1.0),
    (f.surname_conflict, per("Karan Singh"), per("Amrit Singh"), 1.0),
    (f.surname_conflict, per("Kamalpreet Singh"), per("Karanpreet Singh"), 1.0),
    (f.surname_conflict, per("Zhao Wei"), per("Zhao Lijian"), 1.0),
    (f.surname_conflict, per("Hardeep Singh Nijjar"), per("Hardeep Nijjar"), 0.0),
    (f.surname_conflict, per("Vikash Yadav"), per("Vikas Yadav"), 0.0),
    (f.surname_conflict, per("Trudeau"), per("Justin Trudeau"), 0.0),
    (f.given_name_only_compatible, per("Trudeau"), per("Justin Trudeau"), 1.0),
    (f.given_name_only_compatible, per("Chen"), per("Chen Jinping"), 1.0),
    (f.given_name_only_compatible, per("Duheme"), per("Justin Trudeau"), 0.0),
    (f.given_name_only_compatible, per("Justin Trudeau"), per("Pierre Trudeau"), 0.0),
    (f.full_name_match, per("Hardeep Singh Nijjar"), per("Hardeep Nijjar"), 1.0),
    (f.full_name_match, per("Prime Minister Justin Trudeau"), per("Justin Trudeau"), 1.0),
    (f.full_name_match, per("Pierre Trudeau"), per("Justin Trudeau"), 0.0),
    (f.city_conflict, dm("Chinese Consulate in Toronto"), dm("Chinese Consulate in Vancouver"), 1.0),
    (f.city_conflict, dm("Chinese Embassy in Ottawa"), dm("Chinese Embassy in Canberra"), 1.0),
    (f.city_conflict, sb("Fuzhou Public Security Bureau"), sb("Fuqing Public Security Bureau"), 1.0),
    (f.city_conflict, dm("Toronto consulate"), dm("Vancouver consulate"), 1.0),
    (f.city_conflict, dm("Chinese Embassy in Ottawa"), dm("Chinese Embassy in Canada"), 0.0),
    (f.city_conflict, dm("Chinese Consulate in Toronto"), dm("PRC Consulate in Toronto"), 0.0),
    (f.state_conflict, c("Liberal Party", state="CA"), c("Liberal Party", state="AU"), 1.0),
    (f.state_conflict, sb("Ministry of Foreign Affairs", state="CN"),
     sb("Ministry of Foreign Affairs", state="RU"), 1.0),
    (f.state_conflict, sb("Chinese foreign ministry"), sb("Russian foreign ministry"), 1.0),
    (f.state_conflict, dm("Chinese Consulate in Toronto"), dm("Indian Consulate in Toronto"), 1.0),
    (f.state_conflict, c("Liberal Party"), c("Liberal Party of Canada"), 0.0),
    (f.state_conflict, cty("China"), cty("Beijing"), 0.0),
    (f.number_conflict, per("CA1"), per("CA3"), 1.0),
    (f.number_conflict, sb("Unit 61398"), sb("Unit 61486"), 1.0),
    (f.number_conflict, sb("PLA Unit 61398"), sb("Unit 61398"), 0.0),
    (f.number_conflict, sb("CSIS"), sb("Unit 61398"), 0.0),
    (f.location_unknown, dm("Chinese Consulate"), dm("Chinese Consulate in Vancouver"), 1.0),
    (f.location_unknown, dm("Chinese Consulate", state="CN"), dm("Chinese Consulate", state="CN"), 1.0),
    (f.location_unknown, dm("Chinese Consulate in Toronto"), dm("Chinese Consulate in Vancouver"), 0.0),
    (f.single_word_names, per("Singh"), per("Singh"), 1.0),
    (f.single_word_names, per("CA3"), per("CA3"), 0.0),
    (f.single_word_names, per("Singh"), per("Karanpreet Singh"), 0.0),
    (f.same_country, cty("China"), cty("the Chinese government"), 1.0),
    (f.same_country, cty("Canada"), cty("Ottawa"), 1.0),
    (f.same_country, cty("People's Republic of China"), cty("Republic of China"), 0.0),
    (f.same_place, c("New York", "place"), c("NYC", "place"), 1.0),
    (f.same_place, c("Rotterdam", "place"), c("Amsterdam", "place"), 0.0),
    (f.same_mission, dm("Toronto consulate", state="CN"),
     dm("Consulate General of the People's Republic of China in Toronto"), 1.0),
    (f.same_mission, dm("Chinese Consulate in Toronto"), dm("Chinese Consulate in Canada"), 0.0),
    (f.same_station, c("Fuzhou police station in Prato", "overseas_station"),
     c("Fuzhou Overseas Police Station in Prato", "overseas_station"), 1.0),
    (f.same_station, c("Chinese police station in Toronto", "overseas_station"),
     c("overseas police station in Toronto", "overseas_station"), 0.0),
    (f.core_name, c("Labor Party", state="AU"), c("Australian Labor Party"), 1.0),
    (f.core_name, c("NSO Group"), c("NSO"), 1.0),
    (f.core_name, sb("Fuzhou police"), sb("Fuzhou Public Security Bureau"), 1.0),
    (f.core_name, c("Liberal Party"), c("Liberal Party of Canada"), 0.0),  # which Liberal Party?
    (f.distinct_tokens, sb("Federal Bureau of Investigation"), sb("Central Bureau of Investigation"), 1.0),
    (f.distinct_tokens, c("Global News"), c("Globalnews"), 0.0),
]


@pytest.mark.parametrize(("feature", "a", "b", "expected"), FEATURE_CASES,
                         ids=[f"{fn.__name__}:{a.name}~{b.name}" for fn, a, b, _ in FEATURE_CASES])
def test_feature(feature: Feature, a: Candidate, b: Candidate, expected: float) -> None:
    assert feature(a, b) == expected
    assert feature(b, a) == expected  # every feature is symmetric


@pytest.mark.parametrize(("a", "b", "low", "high"), [
    (c("Global News"), c("Globalnews"), 0.9, 1.0),
    (c("Safeguard Defenders"), c("Safeguard Defenders"), 1.0, 1.0),
    (sb("RCMP"), sb("CSIS"), 0.0, 0.5),
    (c("Tenet", "organization", "Tenet Media"), c("Tenet Media Inc."), 0.8, 0.9),  # best alias pair
])
def test_fuzzy_name(a: Candidate, b: Candidate, low: float, high: float) -> None:
    assert low <= f.fuzzy_name(a, b) <= high


def test_every_feature_is_in_unit_interval() -> None:
    a, b = dm("Chinese Consulate in Toronto", "Toronto consulate"), dm("PRC Consulate", state="CN")
    for name, value in f.feature_vector(a, b).items():
        assert 0.0 <= value <= 1.0, name


# --- the matcher -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "match", "rule"), [
    (sb("United Front Work Department"), c("United Front"), False, "type"),
    (per("Justin Trudeau"), per("Pierre Trudeau"), False, "surname_conflict"),
    (per("Justin Trudeau", "Trudeau"), per("Pierre Trudeau", "Trudeau"), False, "surname_conflict"),
    (dm("Chinese Consulate in Toronto"), dm("Chinese Consulate in Vancouver"), False, "city_conflict"),
    (c("Liberal Party", state="CA"), c("Liberal Party", state="AU"), False, "state_conflict"),
    (per("CA1"), per("CA3"), False, "number_conflict"),
    (sb("House of Commons", gid="ca-house-of-commons"), sb("House of Commons", gid="gb-house-of-commons"),
     False, "gazetteer_conflict"),
    (sb("Mounties", gid="ca-rcmp"), sb("RCMP", gid="ca-rcmp"), True, "gazetteer_id"),
    (dm("Chinese Consulate", "PRC Consulate"), dm("Chinese Consulate in Vancouver", "Chinese Consulate"),
     False, "location_unknown"),  # even though the Vancouver document also said "Chinese Consulate"
    (c("The Globe and Mail"), c("Globe and Mail"), True, "exact"),
    (sb("CSIS"), sb("Canadian Security Intelligence Service"), True, "acronym"),
    (cty("China"), cty("Beijing"), True, "same_country"),
    (c("Prato", "place"), c("Prato, Tuscany", "place"), True, "same_place"),
    (dm("Chinese Embassy in Ottawa"), dm("Chinese embassy in Canada"), True, "same_mission"),
    (c("Labor Party", state="AU"), c("Australian Labor Party"), True, "core_name"),
    (per("Hardeep Singh Nijjar"), per("Hardeep Nijjar"), True, "full_name"),
    (per("Trudeau"), per("Justin Trudeau"), False, "surname_only"),
    (per("Singh"), per("Singh"), False, "surname_only"),
    (per("Duheme", "Mike Duheme"), per("Mike Duheme"), True, "exact"),  # the document already joined them
    (c("Global News"), c("Globalnews"), True, "fuzzy"),
    (sb("Federal Bureau of Investigation"), sb("Central Bureau of Investigation"), False, "state_conflict"),
    (c("Safeguard Defenders"), c("Safeguard Guardians"), False, "no_match"),
    (sb("RCMP"), sb("CSIS"), False, "no_match"),
])
def test_decide_rules(a: Candidate, b: Candidate, match: bool, rule: str) -> None:
    decision = decide(a, b)
    assert (decision.match, decision.rule) == (match, rule)
    assert 0.0 <= decision.score <= 1.0


def test_thresholds_are_configurable() -> None:
    a, b = c("Safeguard Defenders"), c("Safeguard Defender")
    assert decide(a, b).match
    assert not decide(a, b, Thresholds(person=1.0, other=1.0)).match
    assert decide(per("Vikash Yadav"), per("Vikas Yadav"), Thresholds(person=0.95)).match
    assert not decide(per("Vikash Yadav"), per("Vikas Yadav"), Thresholds(person=0.99)).match


# --- the labelled set ------------------------------------------------------------------------------

def test_labelled_set_shape() -> None:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 200
    negatives = [r for r in rows if not r["same"]]
    same_type_negatives = [r for r in negatives if r["a"]["type"] == r["b"]["type"]]
    assert len(same_type_negatives) >= 80  # hard negatives: a type mismatch alone does not decide them
    for r in rows:
        assert r["note"] and r["a"]["name"] and r["b"]["name"]
    assert len({json.dumps([r["a"], r["b"]], sort_keys=True) for r in rows}) == len(rows)


def test_precision_and_recall_on_labelled_pairs() -> None:
    report = evaluate(load_pairs(PAIRS))
    print(f"\nresolution: precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}"
          f"  (TP {report.tp}  FP {report.fp}  FN {report.fn}  TN {report.tn})")
    for o in report.errors:
        kind = "FP" if o.decision.match else "FN"
        print(f"  {kind} [{o.decision.rule}] {o.pair.a.name!r} ~ {o.pair.b.name!r}  ({o.pair.note})")
    assert report.precision >= MIN_PRECISION
    assert report.recall >= MIN_RECALL
