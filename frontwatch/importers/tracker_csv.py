"""Attribution trackers (spreadsheets of "who accused whom of what") as Extractions.

A YAML mapping names, for each frontwatch field, the candidate CSV headers (the first present wins)
plus value maps from the method column to a SCHEMA tactic and predicate. Each row becomes one Document
(its text is the row's description) whose Extraction holds:

* the structured claim of the columns: actor -[predicate]-> target, "alleged" and attributed to the
  accuser when the row names one (a tracker records attributions, not established facts), else
  "asserted" in the tracker's own voice; affiliated_with(actor, actor_country) with the same stance;
* plus what frontwatch's own extraction reads in the description, merged by entity name and by
  (subject, predicate, object), the structured claim winning a tie.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError
from ..model import ENTITY_TYPES, PREDICATES, TACTICS, Claim, Document, Entity, Evidence, Extraction
from ..sources._common import decode_utf8, read_limited, short_message
from ..vocab import GazetteerEntry, Vocabulary, load_vocabulary

MAX_BYTES = 50_000_000
FIELDS = ("id", "date", "accuser", "actor", "actor_country", "target", "target_country", "method",
          "description", "url", "title", "score", "credibility")
REQUIRED = ("actor", "description")
DEFAULT_TYPES = {"accuser": "organization", "actor": "organization", "actor_country": "country",
                 "target": "country", "target_country": "country"}
# A target that is an organ of its state belongs to it; any other target is merely located there.
_OF_STATE = {"state_body", "diplomatic_mission"}
DEFAULT_SEPARATORS = (";",)  # several actors or targets in one cell (a line break always separates)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y",
                 "%d %b %Y", "%B %Y", "%b %Y", "%Y-%m", "%Y")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Inc|Co|Corp|Ltd|Gen|Lt|Col|Sen|Rep|Gov|"
                     r"No|vs|etc|approx|e\.g|i\.e))\.$")
_SENT_END = re.compile(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


def bundled_mapping(name: str) -> Path:
    """The path of a mapping shipped with frontwatch (e.g. "dfrlab_fiat")."""
    return Path(str(resources.files("frontwatch").joinpath("data", "mappings", f"{name}.yaml")))


@dataclass
class Mapping:
    """A validated tracker mapping."""

    columns: dict[str, list[str]]
    types: dict[str, str]
    default_predicate: str
    predicate_by_method: list[tuple[str, str]] = field(default_factory=list)
    method_to_tactic: list[tuple[str, str]] = field(default_factory=list)
    default_tactic: str | None = None
    default_target: str | None = None  # the target when the file has no target column (FIAT 2020: the US)
    separators: tuple[str, ...] = DEFAULT_SEPARATORS
    name: str | None = None  # the tracker's name, for the score's label

    def split(self, cell: str) -> list[str]:
        """The names in a cell that may hold several (e.g. "Russia, Iran")."""
        pattern = "|".join(re.escape(sep) for sep in (*self.separators, "\n"))
        return [p.strip() for p in re.split(pattern, cell.strip()) if p.strip()]


def _rules(data: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> list[tuple[str, str]]:
    rules = data.get(key) or {}
    if not isinstance(rules, dict):
        raise SourceError(where, f"'{key}' must map method text to a value")
    out = []
    for needle, value in rules.items():
        if value not in allowed:
            raise SourceError(where, f"'{key}': {value!r} for {needle!r} is not one of {', '.join(allowed)}")
        out.append((str(needle).lower(), str(value)))
    return out


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping YAML; every problem is a one-line SourceError naming the file."""
    where = str(path)
    text = decode_utf8(where, read_limited(path, 1_000_000))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise SourceError(where, f"not valid YAML{line}: {short_message(exc, 80)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise SourceError(where, "not a tracker mapping (needs a 'columns' section)")
    columns: dict[str, list[str]] = {}
    for name, headers in data["columns"].items():
        if name not in FIELDS:
            raise SourceError(where, f"unknown field {name!r} in 'columns' (known: {', '.join(FIELDS)})")
        headers = [headers] if isinstance(headers, str) else headers
        if not isinstance(headers, list) or not all(isinstance(h, str) and h.strip() for h in headers):
            raise SourceError(where, f"column {name!r} must be a header or a list of headers")
        columns[name] = headers
    for name in REQUIRED:
        if name not in columns:
            raise SourceError(where, f"names no column for the required field {name!r}")
    types = {**DEFAULT_TYPES, **(data.get("types") or {})}
    for name, typ in types.items():
        if name not in DEFAULT_TYPES:
            raise SourceError(where, f"'types' names {name!r}, not one of {', '.join(DEFAULT_TYPES)}")
        if typ not in ENTITY_TYPES:
            raise SourceError(where, f"type {typ!r} of {name!r} is not one of {', '.join(ENTITY_TYPES)}")
    default_predicate = data.get("default_predicate", "interferes_in")
    if default_predicate not in PREDICATES:
        raise SourceError(where, f"default_predicate {default_predicate!r} is not a SCHEMA predicate")
    default_tactic = data.get("default_tactic")
    if default_tactic is not None and default_tactic not in TACTICS:
        raise SourceError(where, f"default_tactic {default_tactic!r} is not a SCHEMA tactic")
    default_target = data.get("default_target")
    if default_target is not None and (not isinstance(default_target, str) or not default_target.strip()):
        raise SourceError(where, "default_target must be a name")
    separators = data.get("separators", list(DEFAULT_SEPARATORS))
    if isinstance(separators, str):
        separators = [separators]
    if not isinstance(separators, list) or not all(isinstance(x, str) and x for x in separators):
        raise SourceError(where, "separators must be a list of strings such as [';', ',']")
    name = data.get("name")
    return Mapping(columns, types, default_predicate, _rules(data, "predicate_by_method", PREDICATES, where),
                   _rules(data, "method_to_tactic", TACTICS, where), default_tactic, default_target,
                   tuple(separators), name if isinstance(name, str) else None)


def _header_key(text: str) -> str:
    return " ".join(text.split()).lower()


def _norm(text: str) -> str:
    """A name for matching: case, spacing and a leading "the" ignored."""
    return re.sub(r"^the ", "", " ".join(text.split()).lower())


def iso_date(text: str) -> str | None:
    """A tracker date as ISO (2024-01-26, 2024-01, 2024); None when it is not a date we can read."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y":
            return f"{parsed.year:04d}"
        if "%d" not in fmt:
            return parsed.strftime("%Y-%m")
        return parsed.date().isoformat()
    return None


def first_sentence(text: str) -> tuple[int, int]:
    """Offsets of the text's first sentence (also cut at the first line break)."""
    lead = len(text) - len(text.lstrip())
    body_end = len(text.rstrip())
    stop = text.find("\n", lead)
    stop = body_end if stop < 0 else stop
    for m in _SENT_END.finditer(text, lead, stop):
        if not _ABBREV.search(text[lead:m.start() + 1]):
            stop = m.end()
            break
    return lead, len(text[:stop].rstrip())


def _read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    where = str(path)
    text = decode_utf8(where, read_limited(path, MAX_BYTES))
    if not text.strip():
        raise SourceError(where, "empty file")
    first = text.lstrip("\n").split("\n", 1)[0]
    # the header's commonest separator; quoted commas inside descriptions do not fool it
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise SourceError(where, f"not CSV: {short_message(exc, 80)}") from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows or len(rows[0]) < 2:
        raise SourceError(where, "not a CSV table (the header has fewer than two columns)")
    if len(rows) == 1:
        raise SourceError(where, "no data rows under the header")
    return [h.strip() for h in rows[0]], rows[1:]


def _locate(path: Path, header: list[str], mapping: Mapping) -> dict[str, int]:
    """Column index of each mapped field: the first candidate header the file has."""
    index = {_header_key(h): i for i, h in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for name, candidates in mapping.columns.items():
        for cand in candidates:
            if _header_key(cand) in index:
                found[name] = index[_header_key(cand)]
                break
        else:
            if name in REQUIRED:
                tried = ", ".join(repr(c) for c in candidates)
                raise SourceError(str(path), f"no column for {name!r} (the mapping tries {tried})")
    return found


class _Entities:
    """The row's entities by name: the extractor's first, then gazetteer names, then the mapping's type."""

    def __init__(self, vocab: Vocabulary, extracted: list[Entity]) -> None:
        self.vocab = vocab
        self.entities = list(extracted)
        self.by_norm: dict[str, Entity] = {}
        for ent in extracted:
            for form in (ent.name, *ent.aliases):
                self.by_norm.setdefault(_norm(form), ent)

    def get(self, surface: str, typ: str) -> Entity:
        surface = " ".join(surface.split())
        ent = self.by_norm.get(_norm(surface))
        if ent is None:
            name, typ, gid = self._known(surface, typ)
            ent = self.by_norm.get(_norm(name))
            if ent is None:
                ent = Entity(name=name, type=typ, gazetteer_id=gid)
                self.entities.append(ent)
                self.by_norm[_norm(name)] = ent
        if surface != ent.name and surface not in ent.aliases:
            ent.aliases.append(surface)  # the tracker's wording, so the store resolves it next time
        self.by_norm.setdefault(_norm(surface), ent)
        return ent

    def _known(self, surface: str, typ: str) -> tuple[str, str, str | None]:
        state = self.vocab.state_of(surface) if typ == "country" else self.vocab.state_by_name.get(
            surface.lower())
        if state:
            return self.vocab.states[state].name, "country", state
        entry = _gazetteer_index().get(_norm(surface))
        if entry is not None:
            return entry.name, entry.type, entry.id
        return surface, typ, None


@lru_cache(maxsize=1)
def _gazetteer_index() -> dict[str, GazetteerEntry]:
    """Gazetteer entries by normalised name and alias; ambiguous forms are left out, a form
    two entries share goes to the first."""
    index: dict[str, GazetteerEntry] = {}
    for entry in load_vocabulary().entries:
        if not entry.id.startswith("ambiguous:"):
            for form in (entry.name, *entry.aliases):
                index.setdefault(_norm(form), entry)
    return index


def _first_rule(rules: list[tuple[str, str]], text: str) -> str | None:
    low = text.lower()
    return next((value for needle, value in rules if needle in low), None)


def _score_label(cells: dict[str, str], spec: Mapping) -> str | None:
    """The tracker's own assessment of the attribution ("DFRLab FIAT attribution score 14, credibility
    3"), kept with the row so that every export shows it next to the claim."""
    parts = [f"{label} {cells[key].strip()}" for key, label in (("score", "attribution score"),
                                                                 ("credibility", "credibility"))
             if cells.get(key, "").strip()]
    if not parts:
        return None
    return f"{spec.name or 'tracker'} {', '.join(parts)}"


def _row_document(path: Path, row_id: str, n: int, cells: dict[str, str], header: list[str],
                  row: list[str], tracker: str, spec: Mapping) -> Document:
    text = cells.get("description", "").strip()
    if not text:
        # no description: the row itself, as "header: value" lines, so the evidence is the tracker's
        text = "\n".join(f"{h}: {v.strip()}" for h, v in zip(header, row, strict=False) if h and v.strip())
    date = cells.get("date", "").strip()
    # each row is its own record, whatever its description: known by its id, else by all its cells
    record = f"{tracker} row {row_id}" if row_id else f"{tracker} row " + json.dumps([c.strip() for c in row])
    title = cells.get("title", "").strip()
    score = _score_label(cells, spec)
    if score:
        title = f"{title} ({score})" if title else score
    return Document(id=row_id or f"row{n}", text=text, title=title or None,
                    url=cells.get("url", "").strip() or None,
                    date=(iso_date(date) if date else None), source=str(path), record=record)


def _countries(actors: list[Entity], nations: list[Entity]) -> list[tuple[Entity, Entity]]:
    """(actor, its state) pairs: one nation is every actor's; as many other nations as actors that are
    not states pair up in order; otherwise which actor works for which state is not said."""
    people = [a for a in actors if a.type != "country"]
    if len(nations) == 1:
        return [(a, nations[0]) for a in people]
    others = [c for c in nations if all(c is not a for a in actors)]
    return list(zip(people, others, strict=True)) if len(others) == len(people) else []


def _structured(doc: Document, cells: dict[str, str], mapping: Mapping, ents: _Entities,
                vocab: Vocabulary) -> list[Claim]:
    """The claims the row's columns state."""
    method = cells.get("method", "")
    predicate = _first_rule(mapping.predicate_by_method, method) or mapping.default_predicate
    tactic = _first_rule(mapping.method_to_tactic, method) or mapping.default_tactic
    accusers = mapping.split(cells.get("accuser", ""))
    accuser = ents.get(accusers[0], mapping.types["accuser"]).name if accusers else None
    for other in accusers[1:]:  # one attribution per claim: the first accuser; the others are kept
        ents.get(other, mapping.types["accuser"])
    stance = "alleged" if accuser else "asserted"
    start, end = first_sentence(doc.text)
    evidence = Evidence(doc.text[start:end], start, end)
    raw_date = cells.get("date", "").strip()
    date_cell = (iso_date(raw_date) or raw_date) if raw_date else None
    homes = mapping.split(cells.get("target_country", ""))
    targets = mapping.split(cells.get("target", "")) or homes
    if not targets and mapping.default_target:
        targets = [mapping.default_target]
    claims: list[Claim] = []

    def add(s: str, p: str, o: str, st: str, by: str | None, tac: str | None) -> None:
        if s != o and all(c.key() != (s, p, o) for c in claims):
            claims.append(Claim(s, p, o, stance=st, attributed_to=by, tactic=tac, evidence=evidence,
                                date=date_cell, trigger="tracker row"))

    affiliation_tactics = set(vocab.tactics.get("allowed", {}).get("affiliated_with", []) or [])
    actors = [ents.get(a, mapping.types["actor"]) for a in mapping.split(cells.get("actor", ""))]
    nations = [ents.get(c, mapping.types["actor_country"])
               for c in mapping.split(cells.get("actor_country", ""))]
    for actor in actors:
        for target_text in targets:
            add(actor.name, predicate, ents.get(target_text, mapping.types["target"]).name, stance, accuser,
                tactic)
    for actor, country in _countries(actors, nations):  # that an actor works for a state is alleged too
        add(actor.name, "affiliated_with", country.name, stance, accuser,
            tactic if tactic in affiliation_tactics else None)
    if len(homes) == 1:  # several target countries: which target lies where is not said
        home = ents.get(homes[0], mapping.types["target_country"])
        for target_text in targets:
            target = ents.get(target_text, mapping.types["target"])
            link = "affiliated_with" if target.type in _OF_STATE else "located_in"
            add(target.name, link, home.name, "asserted", None, None)  # where the target is: the tracker's
    return claims


def _merge(extraction: Extraction, structured: list[Claim], entities: list[Entity]) -> Extraction:
    keys = {c.key() for c in structured}
    claims = structured + [c for c in extraction.claims if c.key() not in keys]
    return Extraction(document=extraction.document, entities=entities, claims=claims)


def _row_ids(rows: list[list[str]], column: int | None) -> list[str]:
    """Each row's id; a repeated id (one case, several attributions) gets the row number after it, so
    every row stays a record of its own and a re-import finds it again."""
    ids = [(row[column].strip() if column is not None and column < len(row) else "") for row in rows]
    counts: dict[str, int] = {}
    for value in ids:
        counts[value] = counts.get(value, 0) + 1
    seen: set[str] = set()
    out = []
    for n, value in enumerate(ids, start=1):
        if value and counts[value] > 1 and value in seen:
            out.append(f"{value}#{n}")
        else:
            out.append(value)
        seen.add(value)
    return out


def read(path: Path, mapping: Path, *, extract: bool = True) -> list[Extraction]:
    """One Extraction per row of the tracker at `path`, laid out as `mapping` says. With `extract`
    (the default) the description is also run through frontwatch's extractor and merged in."""
    spec = load_mapping(mapping)
    header, rows = _read_table(path)
    columns = _locate(path, header, spec)
    vocab = load_vocabulary()
    documents: list[tuple[Document, dict[str, str]]] = []
    for n, (row, row_id) in enumerate(zip(rows, _row_ids(rows, columns.get("id")), strict=True), start=1):
        cells = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
        doc = _row_document(path, row_id, n, cells, header, row, mapping.stem, spec)
        if doc.text:
            documents.append((doc, cells))
    if extract:
        from ..extract import extract_documents  # spaCy loads only when there is text to read

        extractions = list(extract_documents([d for d, _ in documents]))
    else:
        extractions = [Extraction(document=d) for d, _ in documents]
    out = []
    for ex, (doc, cells) in zip(extractions, documents, strict=True):
        ents = _Entities(vocab, ex.entities)
        structured = _structured(doc, cells, spec, ents, vocab)
        out.append(_merge(ex, structured, ents.entities))
    return out
