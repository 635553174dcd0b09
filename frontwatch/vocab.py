"""Domain vocabularies (YAML under frontwatch/data), loaded once into a registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .errors import VocabularyError


@dataclass(frozen=True, slots=True)
class State:
    """A sovereign state with the names news uses for it and its government."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capital: str | None = None
    metonyms: tuple[str, ...] = ()  # capitals and other words used to mean the government


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A known actor or place: a state body, mission, organisation or sub-national place."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    state: str | None = None  # the state it belongs to (bodies, missions) or lies in (places)
    kind: str | None = None  # a body's kind (intelligence, police...); a place's level (city, province...)
    city: str | None = None


@dataclass(slots=True)
class Vocabulary:
    """Every domain vocabulary, with the lookup tables the pipeline needs."""

    states: dict[str, State]
    entries: list[GazetteerEntry]
    types: dict[str, Any]
    predicates: dict[str, Any]
    stance: dict[str, Any]
    tactics: dict[str, Any]
    demonym_state: dict[str, str] = field(default_factory=dict)  # "Chinese" -> "CN"
    state_by_name: dict[str, str] = field(default_factory=dict)  # lower name/alias -> "CN"
    metonym_state: dict[str, str] = field(default_factory=dict)  # "Beijing" -> "CN"
    entry_by_id: dict[str, GazetteerEntry] = field(default_factory=dict)
    place_state: dict[str, str] = field(default_factory=dict)  # lower place name -> "CA"

    def __post_init__(self) -> None:
        for st in self.states.values():
            for d in st.demonyms:
                self.demonym_state.setdefault(d, st.id)
            for n in (st.name, *st.aliases):
                self.state_by_name.setdefault(n.lower(), st.id)
                self.state_by_name.setdefault(n.lower().replace("'", "’"), st.id)
            for m in st.metonyms:
                self.metonym_state.setdefault(m, st.id)
            if st.capital:
                self.place_state.setdefault(st.capital.lower(), st.id)
        for e in self.entries:
            self.entry_by_id[e.id] = e
            if e.type == "place" and e.state:
                for n in (e.name, *e.aliases):
                    self.place_state.setdefault(n.lower(), e.state)

    @property
    def demonym_lower(self) -> frozenset[str]:
        """Every state's demonyms, lower case ("chinese", "moldovan")."""
        return frozenset(d.lower() for d in self.demonym_state)

    def state_of(self, text: str) -> str | None:
        """The state a name, alias or demonym stands for, if any."""
        return self.state_by_name.get(text.lower()) or self.demonym_state.get(text)

    def words(self, section: str, key: str) -> frozenset[str]:
        """A list from a vocabulary section as a lower-case set."""
        data = getattr(self, section)
        return frozenset(str(w).lower() for w in data.get(key, []) or [])


def _check_strings(value: Any, name: str) -> None:
    """YAML reads bare on/no/yes as booleans: a list item that is not text is a data error."""
    if isinstance(value, dict):
        for v in value.values():
            _check_strings(v, name)
    elif isinstance(value, list):
        for v in value:
            if isinstance(v, bool):
                raise VocabularyError(
                    f"vocabulary file data/{name}: {v!r} in a list; quote it (\"on\", \"no\")")
            _check_strings(v, name)


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses the gazetteer ~5x faster


def _read(name: str) -> Any:
    try:
        text = resources.files("frontwatch").joinpath("data", name).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=SAFE_LOADER)
        _check_strings(data, name)
        return data
    except FileNotFoundError as exc:
        raise VocabularyError(f"vocabulary file data/{name} is missing") from exc
    except yaml.YAMLError as exc:
        raise VocabularyError(f"vocabulary file data/{name} is not valid YAML: {exc}") from exc


def _gazetteer_files() -> list[str]:
    folder = resources.files("frontwatch").joinpath("data", "gazetteer")
    return sorted(f"gazetteer/{p.name}" for p in folder.iterdir() if p.name.endswith(".yaml"))


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or []) if v)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """Load every vocabulary file once (cached for the process)."""
    states: dict[str, State] = {}
    entries: list[GazetteerEntry] = []
    for name in _gazetteer_files():
        data = _read(name) or []
        if not isinstance(data, list):
            raise VocabularyError(f"vocabulary file data/{name} must be a list of entries")
        if name == "gazetteer/ambiguous.yaml":
            # forms several entries share: tagged with their type when all agree, resolved by nobody
            entries += [GazetteerEntry(id=f"ambiguous:{i['surface']}", name=i["surface"], type=i["type"])
                        for i in data if isinstance(i, dict) and i.get("surface") and i.get("type")]
            continue
        for n, item in enumerate(data, start=1):
            if not isinstance(item, dict) or not item.get("name") or (
                    name == "gazetteer/states.yaml" and not item.get("id")):
                raise VocabularyError(f"vocabulary file data/{name}: entry {n} needs an id and a name")
            if name == "gazetteer/states.yaml":
                capital = item.get("capital")
                metonyms = list(_tuple(item.get("extra_metonyms")))
                if item.get("metonym") and capital:
                    metonyms.insert(0, capital)
                states[item["id"]] = State(
                    id=item["id"], name=item["name"], aliases=_tuple(item.get("aliases")),
                    demonyms=_tuple(item.get("demonyms")), capital=capital, metonyms=tuple(metonyms),
                )
            else:
                entries.append(GazetteerEntry(
                    id=str(item.get("id") or item["name"]), name=item["name"],
                    type=item.get("type", "place" if "places" in name else "organization"),
                    aliases=_tuple(item.get("aliases")),
                    state=item.get("state") or item.get("host") or item.get("country"),
                    kind=item.get("kind") or item.get("level"), city=item.get("city"),
                ))
    return Vocabulary(
        states=states, entries=entries, types=_read("types.yaml"), predicates=_read("predicates.yaml"),
        stance=_read("stance.yaml"), tactics=_read("tactics.yaml"),
    )
