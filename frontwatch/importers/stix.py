"""Read a STIX 2.x bundle (frontwatch's own export or a third party's) back into extractions.

One extraction per report, whose text is its evidence sentences joined by newlines (deterministic, so a
re-import is recognised as unchanged); relationships no report references go into one extra extraction
named after the file. SDO types we do not map (malware, indicators, ...) and relationships touching them
are skipped. A relationship without frontwatch's stance is a third party's assessment: it is imported
as *alleged* by the bundle's author, never as a fact.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..model import ENTITY_TYPES, STANCES, TACTICS, Claim, Document, Entity, Evidence, Extraction, Mention
from ..model import PREDICATES as SCHEMA_PREDICATES
from ..sources._common import bad_string, short_message
from ..vocab import load_vocabulary

PREDICATES = {
    "controls": "controls", "affiliated-with": "affiliated_with", "funds": "funds", "supports": "supports",
    "meets": "meets", "recruits": "recruits", "targets": "targets", "interferes-in": "interferes_in",
    "located-at": "located_in", "located-in": "located_in", "investigates": "investigates",
    "attributed-to": "affiliated_with",  # STIX: the source acts for the target
    "part-of": "affiliated_with", "originates-from": "affiliated_with",
}
ENTITY_SDOS = ("identity", "threat-actor", "intrusion-set", "campaign", "location")
DISAGREE = ("disagree", "strongly-disagree")


@dataclass
class _Item:
    """One evidence sentence of a claim, before it gets offsets in the rebuilt text."""

    claim: Claim
    sentence: str


@dataclass
class _Doc:
    document: Document
    entity_ids: list[str] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def _load(path: Path, skipped: list[SourceError] | None) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, absurd nesting
        raise SourceError(str(path), f"not JSON: {short_message(exc)}") from None
    if not isinstance(data, dict) or data.get("type") != "bundle":
        found = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise SourceError(str(path), f"not a STIX bundle (type is {found!r})")
    objects = data.get("objects", [])
    if not isinstance(objects, list):
        raise SourceError(str(path), "not a STIX bundle: 'objects' is not a list")
    kept = []
    for n, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str) or not isinstance(
                obj.get("id"), str):
            _bad(SourceError(str(path), f"object {n} of the bundle has no type or id"), skipped)
            continue
        bad = bad_string(obj)
        if bad:  # "\ud800" is valid JSON, but no store, graph or output can encode it
            _bad(SourceError(str(path), f"object {n} ({_short(obj['id'])}): a string is {bad}"), skipped)
            continue
        kept.append(obj)
    return kept


def _bad(error: SourceError, skipped: list[SourceError] | None) -> None:
    """A bad object: the whole bundle fails, or (with `skipped`) only the object."""
    if skipped is None:
        raise error
    skipped.append(error)


def _entity_type(obj: dict[str, Any]) -> str:
    given = obj.get("x_frontwatch_type")
    if isinstance(given, str) and given in ENTITY_TYPES:
        return given
    kind = obj["type"]
    if kind == "location":
        return "place" if obj.get("city") or obj.get("street_address") or obj.get(
            "administrative_area") or not obj.get("country") else "country"
    if kind == "identity":
        if obj.get("identity_class") == "individual":
            return "person"
        return "state_body" if any("government" in str(s) for s in _list(obj, "sectors")) else "organization"
    if kind == "threat-actor" and obj.get("resource_level") == "individual":
        return "person"
    return "organization"


def _entity(obj: dict[str, Any]) -> Entity | None:
    name = obj.get("name")
    country = _text(obj.get("country"))
    if not name and obj["type"] == "location" and country:
        state = load_vocabulary().states.get(country.upper())
        name = state.name if state else country
    if not isinstance(name, str) or not name.strip():
        return None
    aliases = [a for a in (*_list(obj, "aliases"), *_list(obj, "x_frontwatch_aliases"))
               if isinstance(a, str) and a.strip() and a != name]
    return Entity(name.strip(), _entity_type(obj), list(dict.fromkeys(aliases)),
                  gazetteer_id=_text(obj.get("x_frontwatch_gazetteer_id")))


def _text(value: Any) -> str | None:
    """A string field as given, None when it is absent, empty or not a string (never str() of a list)."""
    return value if isinstance(value, str) and value.strip() else None


def _names(objects: dict[str, dict[str, Any]], refs: Any) -> list[str]:
    """Names of the identities behind some refs (a third party's author)."""
    refs = refs if isinstance(refs, list) else [refs]
    return [name for r in refs if isinstance(r, str) and r in objects
            and (name := _text(objects[r].get("name"))) is not None]


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _sentences(rel: dict[str, Any], doc_key: str | None) -> list[dict[str, Any]]:
    """The relationship's evidence in one document (None: the bundle-level extraction): frontwatch's
    own evidence list, else the external references' descriptions, else the description."""
    own = [e for e in _list(rel, "x_frontwatch_evidence") if isinstance(e, dict) and _text(e.get("sentence"))]
    own = [e for e in own if doc_key is None or e.get("document") == doc_key]
    if own:
        return own
    refs = [r for r in _list(rel, "external_references")
            if isinstance(r, dict) and _text(r.get("description"))]
    mine = [r for r in refs if doc_key is None or doc_key in (r.get("external_id"), r.get("source_name"))]
    if mine:
        return [{"sentence": r["description"]} for r in mine]
    return [{"sentence": _text(rel.get("description")) or ""}]


def _claims(path: Path, rel: dict[str, Any], entities: dict[str, Entity], doc_key: str | None,
            denials: dict[str, list[str]], author: list[str]) -> list[_Item]:
    # frontwatch's own predicate when the bundle says it (its STIX type is what OpenCTI accepts)
    own_predicate = rel.get("x_frontwatch_predicate")
    predicate = own_predicate if own_predicate in SCHEMA_PREDICATES else PREDICATES.get(
        str(rel.get("relationship_type", "")))
    src, dst = entities.get(rel["source_ref"]), entities.get(rel["target_ref"])
    if predicate is None or src is None or dst is None:
        return []  # a relationship type or an end we do not map: skipped
    stance = rel.get("x_frontwatch_stance")
    if stance == "contested":  # the headline of sources that disagree: each sentence carries its own
        stance = "alleged"
    attributed = _text(next(iter(_list(rel, "x_frontwatch_attributed_to")), None))
    if stance is None:  # a third party's relationship: its author's assessment, or denied by an opinion
        stance, attributed = ("denied", denials[rel["id"]][0]) if denials.get(rel["id"]) else (
            "alleged", author[0] if author else None)
    tactic = _text(rel.get("x_frontwatch_tactic"))
    # a third party's confidence (0-100) is its own assessment; frontwatch's is recomputed from the
    # extractor's, which its evidence entries carry
    theirs = rel.get("confidence") if rel.get("x_frontwatch_stance") is None else None
    default = _unit(theirs / 100) if isinstance(theirs, int | float) and not isinstance(theirs, bool) else 1.0
    items = []
    for ev in _sentences(rel, doc_key):
        own = isinstance(ev.get("stance"), str) and ev["stance"] in STANCES
        given = ev.get("confidence")
        items.append(_Item(Claim(
            src.name, predicate, dst.name, stance=ev["stance"] if own else stance,
            attributed_to=_text(ev.get("attributed_to")) if own else attributed,
            tactic=tactic, date=_text(ev.get("date")), amount=_text(ev.get("amount")),
            confidence=_unit(given) if isinstance(given, int | float) and not isinstance(given, bool)
            else default),
            ev["sentence"]))
    return items


def _unit(value: float) -> float:
    """A confidence in [0, 1]."""
    return min(max(float(value), 0.0), 1.0) if value == value else 1.0


def _mentions(text: str, entity: Entity) -> list[Mention]:
    """Every occurrence of the entity's name or aliases as a whole word, longest form first."""
    found: list[Mention] = []
    taken: set[int] = set()
    for form in sorted({entity.name, *entity.aliases}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if not taken.intersection(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                found.append(Mention(m.start(), m.end(), m.group()))
    return sorted(found, key=lambda m: m.start)


def _finish(doc: _Doc, entities: dict[str, Entity]) -> Extraction:
    """Join the sentences into the text and give each claim its evidence offsets."""
    offsets: dict[str, int] = {}
    parts: list[str] = []
    pos = 0
    for item in doc.items:
        if item.sentence and item.sentence not in offsets:
            offsets[item.sentence] = pos
            parts.append(item.sentence)
            pos += len(item.sentence) + 1
    text = "\n".join(parts) or doc.document.text  # no sentence at all: the report's own words
    doc.document.text = text
    claims = []
    for item in doc.items:
        if item.sentence:
            start = offsets[item.sentence]
            item.claim.evidence = Evidence(item.sentence, start, start + len(item.sentence))
        claims.append(item.claim)
    out = []
    for eid in dict.fromkeys(doc.entity_ids):
        base = entities[eid]
        out.append(Entity(base.name, base.type, list(base.aliases), _mentions(text, base), base.gazetteer_id))
    return Extraction(doc.document, out, claims)


def _report_document(path: Path, report: dict[str, Any]) -> tuple[Document, str]:
    """The report's document and the key its relationships' evidence uses."""
    name = _text(report.get("name")) or report["id"]
    refs = [r for r in _list(report, "external_references") if isinstance(r, dict)]
    key = _text(report.get("x_frontwatch_document")) or next(
        (r["external_id"] for r in refs if _text(r.get("external_id"))), None)
    url = next((r["url"] for r in refs if _text(r.get("url"))), None)
    publisher = next((r["source_name"] for r in refs
                      if _text(r.get("source_name")) and r["source_name"] != key), None)
    published = (_text(report.get("published")) or "")[:10] or None
    if report.get("x_frontwatch_published_unknown"):
        published = None  # the export's date was the day of ingest, not of publication
    doc_id = str(key) if key else (_slug(name) or report["id"].split("--")[-1])
    doc = Document(doc_id, _text(report.get("description")) or name, title=name, url=url, date=published,
                   source=str(path), publisher=publisher)
    return doc, str(key) if key else doc_id


def read(path: Path, skipped: list[SourceError] | None = None) -> list[Extraction]:
    """The bundle's reports (and unreported relationships) as extractions to store.

    A bad object raises SourceError (one line), unless `skipped` is given: then each bad object is
    added to it and the rest of the bundle is read."""
    objects = _load(path, skipped)
    by_id = {o["id"]: o for o in objects}
    entities = {o["id"]: e for o in objects if o["type"] in ENTITY_SDOS and (e := _entity(o)) is not None}
    rels = []
    for rel in (o for o in objects if o["type"] == "relationship"):
        try:
            _check_relationship(path, rel, by_id)
        except SourceError as exc:
            _bad(exc, skipped)
            continue
        rels.append(rel)
    denials: dict[str, list[str]] = {}
    for o in objects:
        if o["type"] == "opinion" and o.get("opinion") in DISAGREE:
            authors = [a for a in _list(o, "authors") if _text(a)] or ["unnamed"]
            for ref in _list(o, "object_refs"):
                if isinstance(ref, str):
                    denials.setdefault(ref, []).extend(authors)
    rel_by_id = {r["id"]: r for r in rels}
    objects = [o for o in objects if o["type"] != "relationship" or o["id"] in rel_by_id]
    reported: set[str] = set()
    docs: list[_Doc] = []
    for report in (o for o in objects if o["type"] == "report"):
        document, key = _report_document(path, report)
        doc = _Doc(document)
        for ref in _list(report, "object_refs"):
            if not isinstance(ref, str):
                continue
            if ref in entities:
                doc.entity_ids.append(ref)
            elif ref in rel_by_id:
                reported.add(ref)
                doc.items += _rel_items(path, rel_by_id[ref], entities, key, denials, by_id, doc)
        if doc.entity_ids or doc.items:
            docs.append(doc)
    rest = _Doc(Document(_slug(path.stem) or "bundle", "", title=path.name, source=str(path)))
    for rel in rels:
        if rel["id"] not in reported:
            rest.items += _rel_items(path, rel, entities, None, denials, by_id, rest)
    if rest.items:
        docs.append(rest)
    return [_finish(d, entities) for d in docs]


def _check_relationship(path: Path, rel: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> None:
    for end in ("source_ref", "target_ref"):
        ref = rel.get(end)
        if not isinstance(ref, str) or ref not in by_id:
            raise SourceError(str(path), f"relationship {_short(rel['id'])} points to {_short(ref)}, which "
                                         "is not in the bundle")
    stance = rel.get("x_frontwatch_stance")
    if stance is not None and stance not in (*STANCES, "contested"):
        raise SourceError(str(path), f"relationship {_short(rel['id'])} has unknown stance {_short(stance)}")
    # our own vocabulary fields are exported again as they are: an unknown value is a bad relationship
    for key, allowed in (("x_frontwatch_tactic", TACTICS), ("x_frontwatch_predicate", SCHEMA_PREDICATES)):
        value = rel.get(key)
        if value is not None and value not in allowed:
            raise SourceError(str(path), f"relationship {_short(rel['id'])} has unknown {key.split('_')[-1]} "
                                         f"{_short(value)}")


def _short(value: Any) -> str:
    return repr(value)[:80]


def _rel_items(path: Path, rel: dict[str, Any], entities: dict[str, Entity], key: str | None,
               denials: dict[str, list[str]], by_id: dict[str, dict[str, Any]], doc: _Doc) -> list[_Item]:
    items = _claims(path, rel, entities, key, denials, _names(by_id, rel.get("created_by_ref")))
    if items:
        doc.entity_ids += [rel["source_ref"], rel["target_ref"]]
    return items
