"""Pairwise features for cross-document resolution: small pure functions `(a, b) -> float` in [0, 1].

Match features say how alike two candidates are; conflict features (`*_conflict`) say that two
similar-looking names cannot be one actor (same surname but another given name, another city, another
state, another number). `matcher.decide` combines them; nothing here decides on its own.

Helpers prefixed with `_` are shared by several features; the places and states a name mentions
are read in `places`, people's names in `people`, acronyms in `candidate`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from .candidate import (
    ACRONYM_STOP,
    Candidate,
    acronym_like,
    clean,
    expands,
    known_gazetteer_id,
    norm,
)
from .lexicon import GENERIC_WORDS, lexicon
from .people import (
    family_compatible,
    given_compatible,
    names_conflict,
    person_forms,
    person_tokens,
    subsequence,
    surname_only,
)
from .places import (
    COUNTRY,
    MISSION,
    PERSON,
    PLACE,
    STATION,
    compatible,
    disjoint,
    effective_state,
    locations,
    mission_kinds,
)

# Trailing words of an organisation's name that do not change which organisation it is
# ("NSO Group" ~ "NSO", "Meta Platforms" ~ "Meta", "United Front network" ~ "United Front").
ORG_SUFFIXES = frozenset({
    "group", "inc", "ltd", "llc", "corp", "corporation", "co", "plc", "platforms", "gmbh", "sa", "ag",
    "limited", "holdings", "technologies", "network", "networks", "campaign", "operation",
})

# Leading articles of non-English names ("Der Spiegel" ~ "Spiegel", "Il Foglio" ~ "Foglio"); `norm`
# already drops a leading English "the".
FOREIGN_ARTICLES = frozenset({"der", "die", "das", "le", "la", "les", "il", "lo", "el", "los", "las", "de"})

# Trailing words of a state body's name that do not change which body it is ("Metropolitan Police
# Service" ~ "Metropolitan Police", "Chinese intelligence services" ~ "Chinese intelligence").
BODY_SUFFIXES = frozenset({"service", "services", "force", "forces", "agency", "agencies"})

# Word runs that name the same kind of body: a Chinese city's police is its Public Security Bureau.
SYNONYMS: dict[tuple[str, ...], str] = {
    ("public", "security", "bureau"): "police",
    ("psb",): "police",
}

# Modifiers of a place that do not make another place ("lower Manhattan", "downtown Toronto").
LOCATIVE_WORDS = frozenset({
    "lower", "upper", "downtown", "central", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "greater", "metro",
})

_DIGITS = re.compile(r"\d+")


# --- shared helpers ---------------------------------------------------------------------------------

def _is_generic(form: str) -> bool:
    """A form made only of generic words ("the Consulate", "the agency") names no particular actor."""
    toks = norm(form).split()
    return bool(toks) and all(t in GENERIC_WORDS or t in ACRONYM_STOP for t in toks)


def _match_forms(c: Candidate) -> tuple[str, ...]:
    """Forms usable for name matching: the name, and every alias that is not a generic word."""
    return tuple(f for i, f in enumerate(c.forms) if i == 0 or not _is_generic(f))


def _name_key(c: Candidate, form: str) -> str:
    """The string fuzzy matching compares: title-stripped for persons, `norm` otherwise."""
    return " ".join(person_tokens(form)) if c.type == PERSON else norm(form)


def _pairs(a: Candidate, b: Candidate) -> Iterable[tuple[str, str]]:
    for fa in _match_forms(a):
        for fb in _match_forms(b):
            yield fa, fb


def _core(c: Candidate, form: str, strip_states: bool) -> tuple[str, ...]:
    """A form reduced to what identifies the body: places as gazetteer keys ("Jiangsu Province" ->
    Jiangsu), synonyms folded (PSB -> police), function words and kind suffixes ("Group", "Service")
    dropped and, if asked, the words naming its state dropped."""
    toks = norm(form).split()
    out: list[str] = []
    i = 0
    for hit in [*lexicon().scan(toks), None]:
        end = hit.start if hit is not None else len(toks)
        out.extend(toks[i:end])
        if hit is not None:
            if hit.state is None and hit.place is not None:
                out.append(hit.place.key)
            elif not strip_states:
                out.extend(toks[hit.start:hit.end])
            i = hit.end
    toks = _fold_synonyms([t for t in out if t not in ("of", "the", "and")])
    suffixes = ORG_SUFFIXES if c.type == "organization" else BODY_SUFFIXES
    while len(toks) > 1 and toks[-1] in suffixes:
        toks.pop()
    if c.type == "organization" and len(toks) > 1 and toks[0] in FOREIGN_ARTICLES:
        toks = toks[1:]
    return tuple(toks)


def _fold_synonyms(toks: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(toks):
        for n in (3, 2, 1):
            word = SYNONYMS.get(tuple(toks[i:i + n]))
            if word is not None:
                out.append(word)
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def _counterpart(tok: str, others: list[str]) -> bool:
    """A token the other name spells differently (Guard/Guards) or writes split (Globalnews)."""
    if any(fuzz.ratio(tok, o) >= 80 for o in others):
        return True
    joined = "".join(others)
    return len(tok) >= 4 and tok in joined or any(len(o) >= 4 and o in tok for o in others)


def _ignorable(tok: str) -> bool:
    """A word whose presence on one side only does not make another actor ("the", "Canada's",
    "service", "lower" Manhattan)."""
    return (tok in ACRONYM_STOP or tok in GENERIC_WORDS or tok in LOCATIVE_WORDS
            or (tok,) in lexicon().state_words)


def _qualifier(form: str) -> str | None:
    """A leading acronym that qualifies a name by its owner ("CCP United Front Work Department")."""
    raw = clean(form, fold=False).split()
    return raw[0].casefold() if len(raw) >= 2 and acronym_like(raw[0]) else None


# --- features ---------------------------------------------------------------------------------------

def same_gazetteer_id(a: Candidate, b: Candidate) -> float:
    """1 if both have gazetteer ids and they are equal, 0 if both have ids that differ, else 0.5."""
    ga, gb = known_gazetteer_id(a), known_gazetteer_id(b)
    if ga is None or gb is None:
        return 0.5
    return 1.0 if ga == gb else 0.0


def exact_name(a: Candidate, b: Candidate) -> float:
    """1 if a normalised name or (non-generic) alias of one equals one of the other."""
    keys_b = {norm(f) for f in _match_forms(b)}
    return 1.0 if any(norm(f) in keys_b for f in _match_forms(a)) else 0.0


@lru_cache(maxsize=8192)
def _acronyms(c: Candidate) -> tuple[tuple[str, list[str], list[str]], ...]:
    """Each acronym-like form of a candidate, its words, and the other forms it expands to: the
    document that used the acronym may already say what it stands for, and then it stands for that,
    not for whatever else has the same initials (MPS: Ministry of Public Security, not Metropolitan
    Police Service). Cached: a much-named actor has hundreds of forms and is compared again and again."""
    out = []
    for short in _match_forms(c):
        raw = clean(short, fold=False).split()
        if any(acronym_like(w) for w in raw):
            own = [norm(f) for f in _match_forms(c) if f != short and expands(short, raw, f)]
            out.append((short, raw, own))
    return tuple(out)


def acronym_match(a: Candidate, b: Candidate) -> float:
    """1 if a form of one is the acronym of a form of the other: CSIS, PRC, Fuzhou PSB, B.C. NDP."""
    for x, y in ((a, b), (b, a)):
        for short, raw, own in _acronyms(x):
            for long_ in _match_forms(y):
                if not expands(short, raw, long_):
                    continue
                key = norm(long_)
                if own and not any(o == key or fuzz.token_sort_ratio(o, key) >= 90 for o in own):
                    continue
                return 1.0
    return 0.0


def fuzzy_name(a: Candidate, b: Candidate) -> float:
    """rapidfuzz token_sort_ratio / 100 of the most similar name/alias pair."""
    best = 0.0
    for fa, fb in _pairs(a, b):
        best = max(best, fuzz.token_sort_ratio(_name_key(a, fa), _name_key(b, fb)) / 100.0)
    return best


def distinct_tokens(a: Candidate, b: Candidate) -> float:
    """1 if the closest name pair differs by a whole word (Federal/Central), not a spelling (Guards)."""
    best: tuple[float, str, str, str, str] | None = None
    for fa, fb in _pairs(a, b):
        ka, kb = _name_key(a, fa), _name_key(b, fb)
        score = fuzz.token_sort_ratio(ka, kb)
        if best is None or score > best[0]:
            best = (score, ka, kb, fa, fb)
    if best is None:
        return 0.0
    _, ka, kb, fa, fb = best
    ta, tb = Counter(ka.split()), Counter(kb.split())
    only_a, only_b = list((ta - tb).elements()), list((tb - ta).elements())
    lost_a = [t for t in only_a if not _counterpart(t, only_b) and t != _qualifier(fa)]
    lost_b = [t for t in only_b if not _counterpart(t, only_a) and t != _qualifier(fb)]
    if lost_a and lost_b:
        return 1.0  # a word replaced by another word
    inserted = lost_a or lost_b
    return 1.0 if any(not _ignorable(t) for t in inserted) else 0.0


def same_type(a: Candidate, b: Candidate) -> float:
    """1 if both have the same SCHEMA type, else 0."""
    return 1.0 if a.type == b.type else 0.0


def surname_conflict(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if full names share a surname but not the given name (Karan/Amrit Singh)."""
    if a.type != PERSON or b.type != PERSON:
        return 0.0
    fa, fb = person_forms(a), person_forms(b)
    full_a = [t for t in fa if len(t) >= 2]
    full_b = [t for t in fb if len(t) >= 2]
    if any(ta == tb for ta in full_a for tb in full_b):
        return 0.0
    return 1.0 if any(names_conflict(ta, tb) for ta in full_a for tb in full_b) else 0.0


def given_name_only_compatible(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if one is named by one word the other's full name starts or ends with (Trudeau)."""
    if a.type != PERSON or b.type != PERSON:
        return 0.0
    for x, y in ((a, b), (b, a)):
        if not surname_only(x) or surname_only(y):
            continue
        words = {t[0] for t in person_forms(x)}
        for full in person_forms(y):
            if len(full) >= 2 and any(family_compatible(w, full[-1]) or w == full[0] for w in words):
                return 1.0
    return 0.0


def full_name_match(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if one full name is the other minus titles, middle names or a given name's initial."""
    if a.type != PERSON or b.type != PERSON:
        return 0.0
    for ta in person_forms(a):
        for tb in person_forms(b):
            if len(ta) < 2 or len(tb) < 2:
                continue
            short, long_ = sorted((ta, tb), key=len)
            if short[-1] != long_[-1] or not given_compatible(short[0], long_[0]):
                continue
            if short[0] != long_[0] and len(short[0]) > 1:
                continue  # only an initial may stand for a given name here
            if subsequence(short[1:], long_[1:]):
                return 1.0
    return 0.0


def city_conflict(a: Candidate, b: Candidate) -> float:
    """1 if the names carry places that cannot be one (consulate in Toronto/Vancouver, Fuzhou/Fuqing)."""
    if PERSON in (a.type, b.type) or COUNTRY in (a.type, b.type):
        return 0.0
    ha, oa = locations(a)
    hb, ob = locations(b)
    if ha and hb and disjoint(ha, hb):
        return 1.0
    if oa and ob and disjoint(oa, ob):
        return 1.0
    ua, ub = ha | oa, hb | ob
    return 1.0 if ua and ub and disjoint(ua, ub) else 0.0


def state_conflict(a: Candidate, b: Candidate) -> float:
    """1 if both states are known (given, from the gazetteer id, or read from the name) and differ."""
    sa, sb = effective_state(a), effective_state(b)
    return 1.0 if sa and sb and sa != sb else 0.0


def number_conflict(a: Candidate, b: Candidate) -> float:
    """1 if both names carry numbers and share none: CA1/CA3, Unit 61398/Unit 61486, MI5/MI6."""
    na = {n for f in a.forms for n in _DIGITS.findall(norm(f))}
    nb = {n for f in b.forms for n in _DIGITS.findall(norm(f))}
    return 1.0 if na and nb and not na & nb else 0.0


def location_unknown(a: Candidate, b: Candidate) -> float:
    """Missions/stations: 1 if either names no place, so it may be any of that state's missions."""
    if a.type != b.type or a.type not in (MISSION, STATION):
        return 0.0
    return 0.0 if any(locations(a)) and any(locations(b)) else 1.0


def single_word_names(a: Candidate, b: Candidate) -> float:
    """Persons: 1 if both are named by one word only ("Singh" and "Singh"), code names aside ("CA3")."""
    if a.type != PERSON or b.type != PERSON or not (surname_only(a) and surname_only(b)):
        return 0.0
    return 0.0 if any(ch.isdigit() for ch in a.name + b.name) else 1.0


def same_country(a: Candidate, b: Candidate) -> float:
    """Countries: 1 if both forms stand for the same state (China ~ Beijing ~ the Chinese government)."""
    if a.type != COUNTRY or b.type != COUNTRY:
        return 0.0
    lex = lexicon()
    ca = {s for f in a.forms if (s := lex.country_of(f))}
    cb = {s for f in b.forms if (s := lex.country_of(f))}
    return 1.0 if ca and ca == cb and len(ca) == 1 else 0.0


def same_place(a: Candidate, b: Candidate) -> float:
    """Places: 1 if both name the same gazetteer place ("New York" ~ "NYC", "Prato, Tuscany" ~ "Prato")."""
    if a.type != PLACE or b.type != PLACE:
        return 0.0
    lex = lexicon()
    ka = {p.key for f in a.forms if (p := lex.place_of(f.split(",")[0]))}
    kb = {p.key for f in b.forms if (p := lex.place_of(f.split(",")[0]))}
    return 1.0 if ka & kb else 0.0


def same_mission(a: Candidate, b: Candidate) -> float:
    """Missions: 1 if same state, same kind and same city (an embassy may be named by its host state)."""
    if a.type != MISSION or b.type != MISSION:
        return 0.0
    sa, sb = effective_state(a), effective_state(b)
    kinds = mission_kinds(a) & mission_kinds(b)
    if not sa or sa != sb or not kinds:
        return 0.0
    ua, ub = (frozenset().union(*locations(a)), frozenset().union(*locations(b)))
    if not ua or not ub:
        return 0.0
    if any(p.key == q.key for p in ua for q in ub):
        return 1.0
    by_country = kinds & {"embassy", "high_commission"}
    return 1.0 if by_country and any(compatible(p, q) for p in ua for q in ub) else 0.0


def same_station(a: Candidate, b: Candidate) -> float:
    """Stations: 1 if named by the same two or more places (host city and operating police)."""
    if a.type != STATION or b.type != STATION:
        return 0.0
    ka = {p.key for p in frozenset().union(*locations(a))}
    kb = {p.key for p in frozenset().union(*locations(b))}
    return 1.0 if len(ka) >= 2 and ka == kb else 0.0


def core_name(a: Candidate, b: Candidate) -> float:
    """1 if names agree without the state both belong to, function words and suffixes (Group, Service)."""
    if a.type != b.type or a.type in (PERSON, COUNTRY, PLACE):
        return 0.0
    sa, sb = effective_state(a), effective_state(b)
    strip = bool(sa and sa == sb)
    cores_b = {k for f in _match_forms(b) if (k := _core(b, f, strip))}
    return 1.0 if any(_core(a, f, strip) in cores_b for f in _match_forms(a)) else 0.0


Feature = Callable[[Candidate, Candidate], float]

FEATURES: dict[str, Feature] = {
    f.__name__: f for f in (
        same_gazetteer_id, exact_name, acronym_match, fuzzy_name, distinct_tokens, same_type,
        surname_conflict, given_name_only_compatible, full_name_match, city_conflict, state_conflict,
        number_conflict, location_unknown, single_word_names, same_country, same_place, same_mission,
        same_station, core_name,
    )
}


def feature_vector(a: Candidate, b: Candidate) -> dict[str, float]:
    """Every feature of the pair, by name (for inspection and benchmarks)."""
    return {name: f(a, b) for name, f in FEATURES.items()}
