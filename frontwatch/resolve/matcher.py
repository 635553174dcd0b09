"""Decide whether two candidates from different documents are one real-world actor.

`decide(a, b)` walks an ordered list of rules and returns the first that applies, as a `Decision`
naming the rule. Conflicts come before matches: a wrong merge joins two actors' claims for good, a
missed one only leaves two nodes to join later, so anything that proves two actors distinct wins over
any similarity. Thresholds and rule scores live in `Thresholds` / `RULE_SCORES` below, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import features as f
from .candidate import Candidate


@dataclass(frozen=True)
class Thresholds:
    """Minimum fuzzy similarity (rapidfuzz token_sort_ratio / 100) to merge on spelling alone.

    Persons are stricter: two different people's names differ by few letters far more often than two
    organisations' do (Kamalpreet/Karanpreet Singh), and a person merged wrongly carries accusations.
    """

    person: float = 0.92
    other: float = 0.90

    def for_type(self, entity_type: str) -> float:
        return self.person if entity_type == f.PERSON else self.other


DEFAULT_THRESHOLDS = Thresholds()

# The score a rule reports when it matches by structure rather than by a similarity.
RULE_SCORES: dict[str, float] = {
    "gazetteer_id": 1.0,
    "exact": 1.0,
    "acronym": 0.95,
    "same_country": 0.95,
    "same_place": 0.95,
    "same_mission": 0.95,
    "same_station": 0.9,
    "core_name": 0.95,
    "full_name": 0.95,
}

# Conflicts, checked in this order; the first that fires names the decision.
CONFLICTS: tuple[tuple[str, Callable[[Candidate, Candidate], float]], ...] = (
    ("gazetteer_conflict", lambda a, b: 1.0 if f.same_gazetteer_id(a, b) == 0.0 else 0.0),
    ("state_conflict", f.state_conflict),  # Liberal Party CA vs AU; foreign ministry CN vs RU
    ("number_conflict", f.number_conflict),  # CA1 vs CA3; Unit 61398 vs Unit 61486
    ("city_conflict", f.city_conflict),  # consulate in Toronto vs in Vancouver; Fuzhou vs Fuqing PSB
    ("surname_conflict", f.surname_conflict),  # Justin vs Pierre Trudeau
)


@dataclass(frozen=True)
class Decision:
    """Whether two candidates are one actor, which rule said so, and how sure it is (0-1)."""

    match: bool
    rule: str
    score: float


def decide(a: Candidate, b: Candidate, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Decision:
    """Resolve a pair of candidates with the first rule that applies (see the module docstring)."""
    # Types first: SCHEMA keeps "United Front" (network) and "United Front Work Department" apart,
    # and "China" (country) apart from the CCP; an extractor's type is the cheapest strong signal.
    if not f.same_type(a, b):
        return Decision(False, "type", 0.0)

    # A conflict proves two actors distinct however alike the names are; it must beat every match
    # below, including an alias both happen to share ("the Consulate", "Trudeau").
    for rule, conflict in CONFLICTS:
        if conflict(a, b):
            return Decision(False, rule, f.fuzzy_name(a, b))

    # Curated gazetteer ids are the strongest evidence of identity we have.
    if f.same_gazetteer_id(a, b) == 1.0:
        return Decision(True, "gazetteer_id", RULE_SCORES["gazetteer_id"])

    # "Chinese Consulate" without a city may be any of China's consulates: never resolve it to one
    # named by its city, even when the other document also called that one "the Chinese Consulate",
    # nor to another document's unlocated "Chinese Consulate".
    if f.location_unknown(a, b):
        return Decision(False, "location_unknown", f.fuzzy_name(a, b))

    # Two documents' "Singh" are no more likely to be one person than any two Singhs.
    if f.single_word_names(a, b):
        return Decision(False, "surname_only", f.fuzzy_name(a, b))

    # Same normalised name or alias: case, accents, dots, curly apostrophes and "the" do not matter.
    if f.exact_name(a, b):
        return Decision(True, "exact", RULE_SCORES["exact"])

    # Reporting introduces an acronym once and then uses it alone (CSIS, RCMP, UFWD, Fuzhou PSB).
    if f.acronym_match(a, b):
        return Decision(True, "acronym", RULE_SCORES["acronym"])

    # SCHEMA: a state, its capital used as metonym and "the X government" are one country entity.
    if f.same_country(a, b):
        return Decision(True, "same_country", RULE_SCORES["same_country"])

    # Places resolve through the gazetteer's aliases ("New York" ~ "NYC").
    if f.same_place(a, b):
        return Decision(True, "same_place", RULE_SCORES["same_place"])

    # A state has one mission of a kind per city, so (state, kind, city) identifies it whatever the
    # wording ("the Toronto consulate" of China ~ "Consulate General of the PRC in Toronto").
    if f.same_mission(a, b):
        return Decision(True, "same_mission", RULE_SCORES["same_mission"])

    # A station named by both its host city and its operating police is specific enough.
    if f.same_station(a, b):
        return Decision(True, "same_station", RULE_SCORES["same_station"])

    # The state a body belongs to, named or not, does not change which body it is, once we know both
    # belong to the same state ("Labor Party"/AU ~ "Australian Labor Party"); nor does "Group"/"Inc.".
    if f.core_name(a, b):
        return Decision(True, "core_name", RULE_SCORES["core_name"])

    # A full name with its middle names dropped or its given name reduced to an initial.
    if f.full_name_match(a, b):
        return Decision(True, "full_name", RULE_SCORES["full_name"])

    # Surname alone vs a full name: fine inside one document, too risky across documents (which
    # Singh? which Cooper?). Only an alias list that already joins them (the "exact" rule) merges.
    if f.given_name_only_compatible(a, b):
        return Decision(False, "surname_only", f.fuzzy_name(a, b))

    # Spelling variants and typos ("Globalnews", "Safeguard Defender"), unless the names differ by a
    # whole word rather than a spelling (Federal vs Central Bureau of Investigation).
    score = f.fuzzy_name(a, b)
    if score >= thresholds.for_type(a.type) and not f.distinct_tokens(a, b):
        return Decision(True, "fuzzy", score)
    return Decision(False, "no_match", score)
