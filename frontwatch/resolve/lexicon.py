"""Read-only word lists the resolver derives from frontwatch's gazetteer: which words name a state
(names, aliases, demonyms), which capitals stand for their government, and which places lie where.

Built once per process from `frontwatch.vocab.load_vocabulary()` (YAML under frontwatch/data); no
database, no network. Every key is a tuple of `norm` tokens so lookups agree with the features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..vocab import load_vocabulary
from .candidate import norm

# Words that, around a demonym or state name, make a form mean the state itself ("the Chinese
# government", "Government of India", "Chinese authorities"): SCHEMA treats these as the country.
GOVERNMENT_WORDS = frozenset({
    "government", "govt", "authorities", "authority", "state", "regime", "leadership", "of", "the",
    "central", "national", "federal", "communist",
})

# Words that describe what kind of body a name is rather than which one: a form made of these alone
# ("the Consulate", "the agency") identifies nothing across documents, and a location heuristic skips
# them when it looks for the city a mission or station is named by.
GENERIC_WORDS = frozenset({
    "consulate", "consulates", "consular", "general", "embassy", "embassies", "high", "commission",
    "mission", "missions", "diplomatic", "station", "stations", "police", "service", "services",
    "overseas", "office", "offices", "post", "outpost", "centre", "center", "centres", "centers",
    "party", "ministry", "government", "agency", "bureau", "department", "committee", "parliament",
    "court", "force", "forces", "unit", "branch", "security", "intelligence", "public", "foreign",
    "affairs", "federal", "national", "provincial", "municipal", "so", "called", "secret", "illegal",
    "undeclared", "network", "group", "association", "organization", "organisation", "authorities",
    "the", "of", "in", "at", "and", "for", "on", "a", "an", "chief", "team", "working", "special",
})

# Words naming the kind of place after its name ("the Tibet region", "Fuzhou City").
PLACE_KIND_WORDS = frozenset({"region", "province", "city", "county", "state", "prefecture", "district"})

# The kind of a diplomatic mission: one state has at most one of each kind in a city.
MISSION_KINDS: dict[tuple[str, ...], str] = {
    ("consulate",): "consulate", ("consulates",): "consulate", ("consulate", "general"): "consulate",
    ("embassy",): "embassy", ("high", "commission"): "high_commission", ("legation",): "legation",
    ("permanent", "mission"): "mission", ("mission",): "mission",
}


@dataclass(frozen=True, slots=True)
class Place:
    """A place a name carries: gazetteer key, and the state it lies in (a state is its own)."""

    key: str  # gazetteer id, "state:XX" for a sovereign state, else the normalised text
    country: str | None
    is_state: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    """A run of tokens the lexicon recognised: a state word or a place."""

    start: int
    end: int
    state: str | None = None  # ISO2 when the run names a state (name, alias or demonym)
    place: Place | None = None


@dataclass(slots=True)
class Lexicon:
    """Lookup tables keyed by tuples of `norm` tokens."""

    state_words: dict[tuple[str, ...], str] = field(default_factory=dict)  # names, aliases, demonyms
    state_names: dict[tuple[str, ...], str] = field(default_factory=dict)  # names and aliases only
    metonyms: dict[tuple[str, ...], str] = field(default_factory=dict)  # ("beijing",) -> CN
    places: dict[tuple[str, ...], Place] = field(default_factory=dict)
    # name/alias of a gazetteer body, mission or organisation -> {(type, state)} of the entries using it
    entry_states: dict[tuple[str, ...], set[tuple[str, str | None]]] = field(default_factory=dict)
    longest: int = 1

    def scan(self, toks: list[str]) -> list[Hit]:
        """Longest-first, left-to-right matches of state words and places in `toks`."""
        hits: list[Hit] = []
        i = 0
        while i < len(toks):
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                key = tuple(toks[i:i + n])
                state = self.state_words.get(key)
                place = self.places.get(key)
                if state is not None or place is not None:
                    hits.append(Hit(i, i + n, state=state, place=None if state is not None else place))
                    i += n
                    break
            else:
                i += 1
        return hits

    def gazetteer_state(self, text: str, entity_type: str) -> str | None:
        """The state of the one gazetteer entry of this type that has `text` as name or alias
        ("MPS" -> CN, "Metropolitan Police Service" -> GB); None if none, several, or stateless."""
        found = {st for typ, st in self.entry_states.get(tuple(norm(text).split()), ()) if typ == entity_type}
        return found.pop() if len(found) == 1 else None

    def place_of(self, text: str) -> Place | None:
        """The place a whole text names ("New York" -> the gazetteer's New York City; "Tibet region"
        -> Tibet, a kind word dropped only when the full text is no place itself), if any."""
        key = tuple(norm(text).split())
        state = self.state_names.get(key)
        if state is not None:
            return Place(f"state:{state}", state, is_state=True)
        place = self.places.get(key)
        if place is None and len(key) > 1 and key[-1] in PLACE_KIND_WORDS:
            place = self.places.get(key[:-1])
        return place

    def country_of(self, text: str) -> str | None:
        """The state a country-type form stands for: "China", "PRC", "Beijing", "the Chinese
        government", "Government of India", "China's authorities" -> ISO2, else None."""
        toks = tuple(norm(text).split())
        for table in (self.state_names, self.metonyms):
            if toks in table:
                return table[toks]
        core = tuple(t for t in toks if t not in GOVERNMENT_WORDS)
        if core and len(core) < len(toks):
            return self.state_words.get(core) or self.metonyms.get(core)
        return None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, built once from the gazetteer."""
    vocab = load_vocabulary()
    lex = Lexicon()

    def key(text: str) -> tuple[str, ...]:
        return tuple(norm(text).split())

    for st in vocab.states.values():
        for name in (st.name, *st.aliases):
            if key(name):
                lex.state_names.setdefault(key(name), st.id)
                lex.state_words.setdefault(key(name), st.id)
        for dem in st.demonyms:
            if key(dem):
                lex.state_words.setdefault(key(dem), st.id)
        for met in st.metonyms:
            lex.metonyms.setdefault(key(met), st.id)
            lex.metonyms.setdefault(key(met.split(",")[0]), st.id)  # "Washington, D.C." -> washington
        if st.capital:
            cap = key(st.capital.split(",")[0])
            lex.places.setdefault(cap, Place(f"capital:{st.id}", st.id))
    for entry in vocab.entries:
        if entry.type != "place":
            for name in (entry.name, *entry.aliases):
                if key(name) and not entry.id.startswith("ambiguous:"):
                    lex.entry_states.setdefault(key(name), set()).add((entry.type, entry.state))
            continue
        place = Place(entry.id, entry.state)
        for name in (entry.name, *entry.aliases):
            if key(name):
                lex.places[key(name)] = place  # a gazetteer place wins over a bare capital key
    lex.longest = max(len(k) for k in (*lex.state_words, *lex.places))
    return lex
