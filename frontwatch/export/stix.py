"""The network as a STIX 2.1 bundle: one SDO per entity, one relationship per claim, one report per
source document, and a note (allegation) or opinion (denial) beside every claim that is not asserted.

Stance and attribution travel with every relationship (description, confidence, x_frontwatch_* properties
declared by a toplevel-property extension), so no consumer sees an allegation as a bare fact.
Ids are uuid5 over stable keys and timestamps come from the reporting dates: the same network always
exports to the same bytes.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from ..graph.network import Edge, Evidence, Network, Node
from ..vocab import load_vocabulary
from .opencti import opencti_type, relationship_type

NAMESPACE = uuid.UUID("6f1d3c1e-9a7b-5c2d-8e4f-0a1b2c3d4e5f")  # fixed forever: ids must not change
EXTENSION_CREATED = "2024-01-01T00:00:00.000Z"  # when the extension definition was written
FALLBACK_DAY = "1970-01-01"
STATE_TYPES = ("state_body", "diplomatic_mission", "overseas_station")
HOSTILE = ("targets", "interferes_in", "recruits", "funds")
UNKNOWN_REGION = "unknown"  # a location must name a region or country; we never guess one
PROPERTIES = (
    "x_frontwatch_type", "x_frontwatch_aliases", "x_frontwatch_gazetteer_id", "x_frontwatch_review_status",
    "x_frontwatch_stance", "x_frontwatch_attributed_to", "x_frontwatch_denied_by", "x_frontwatch_tactic",
    "x_frontwatch_sources", "x_frontwatch_evidence", "x_frontwatch_document", "x_frontwatch_predicate",
    "x_opencti_location_type",
    "x_frontwatch_published_unknown", "x_frontwatch_date_source", "x_frontwatch_stance_counts",
    "x_frontwatch_asserted_by", "x_frontwatch_alleged_by",
)


def _id(kind: str, *key: str, name: str | None = None) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join((name or kind, *key)))}"


PRODUCER_ID = _id("identity", "frontwatch")
EXTENSION_ID = _id("extension-definition", "frontwatch-provenance-1")
EXTENSIONS = {EXTENSION_ID: {"extension_type": "toplevel-property-extension"}}


def _day(value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD (as stored) -> YYYY-MM-DD; anything else -> None."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value or "")
    return f"{m[1]}-{m[2] or '01'}-{m[3] or '01'}" if m else None


def _ts(day: str | None) -> str:
    return f"{_day(day) or FALLBACK_DAY}T00:00:00.000Z"


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """STIX forbids nulls and empty lists."""
    return {k: v for k, v in obj.items() if v is not None and v != []}


def _base(kind: str, oid: str, created: str, modified: str, custom: bool = True) -> dict[str, Any]:
    base: dict[str, Any] = {"type": kind, "spec_version": "2.1", "id": oid, "created": created,
            "modified": max(created, modified)}
    if custom:
        base["extensions"] = EXTENSIONS
    return base


def _country_code(node: Node) -> str | None:
    """ISO2 from the gazetteer: the node's state, its id when that is a state, or its place names."""
    vocab = load_vocabulary()
    for code in (node.state, node.gazetteer_id):
        if code and re.fullmatch(r"[A-Z]{2}", code):
            return code
    if node.gazetteer_id in vocab.entry_by_id and vocab.entry_by_id[node.gazetteer_id].state:
        return vocab.entry_by_id[node.gazetteer_id].state
    for name in (node.name, *node.aliases):  # a country's own names only for countries ("Georgia")
        code = vocab.place_state.get(name.lower()) or (
            vocab.state_by_name.get(name.lower()) if node.type == "country" else None)
        if code:
            return code
    return None


def _is_operation(node: Node) -> bool:
    entry = load_vocabulary().entry_by_id.get(node.gazetteer_id or "")
    return node.type == "organization" and entry is not None and entry.kind == "operation"


def _hostile_stance(node: Node, edges: list[Edge]) -> str | None:
    """asserted/alleged when the node is the subject of a hostile (non-countermeasure) claim; denied
    claims never make a threat actor."""
    found = {e.stance for e in edges if e.source == node.id and e.predicate in HOSTILE
             and e.tactic != "countermeasure" and e.stance != "denied"}
    return "asserted" if "asserted" in found else "alleged" if found else None


def sdo_type(node: Node, edges: list[Edge]) -> str:
    """Exactly one SDO type per entity: location, intrusion-set, threat-actor or identity."""
    if node.type in ("country", "place"):
        return "location"
    if _is_operation(node):
        return "intrusion-set"
    if _hostile_stance(node, edges):
        return "threat-actor"
    return "identity"


def _sdo(node: Node, oid: str, edges: list[Edge], created: str, modified: str) -> dict[str, Any]:
    kind = oid.split("--")[0]
    obj = _base(kind, oid, created, modified) | {
        "name": node.name, "x_frontwatch_type": node.type, "x_frontwatch_gazetteer_id": node.gazetteer_id,
        "x_frontwatch_review_status": node.review_status}
    aliases = sorted(node.aliases)
    if kind == "location":
        code = _country_code(node)
        obj |= {"country": code} if code else {
            "region": UNKNOWN_REGION, "description": "Country not resolved; the region is a placeholder."}
        obj["x_opencti_location_type"] = "Country" if node.type == "country" else "City"
        obj["x_frontwatch_aliases"] = aliases  # location and identity have no aliases of their own
    elif kind == "identity":
        obj["identity_class"] = "individual" if node.type == "person" else "organization"
        if node.type in STATE_TYPES:
            obj["sectors"] = ["government-national"]
        obj["x_frontwatch_aliases"] = aliases
    elif kind == "threat-actor":
        stance = _hostile_stance(node, edges)
        obj |= {"aliases": aliases, "x_frontwatch_stance": stance,
                "threat_actor_types": ["nation-state"] if node.type in STATE_TYPES else None,
                "resource_level": {"person": "individual", "organization": "organization"}.get(
                    node.type, "government"),
                "description": f"Subject of {stance} hostile claims in the reporting (targets, "
                               "interferes in, recruits or funds); each relationship carries its stance "
                               "and attribution."}
    else:
        obj["aliases"] = aliases
    return _clean(obj)


def confidence(edge: Edge) -> int:
    """STIX confidence (0-100): the claim's confidence (the highest of its sentences; 1.0 for claims the
    rules find) times 100. Stance and corroboration travel beside it (x_frontwatch_stance, notes,
    opinions, x_frontwatch_sources), never folded into it."""
    return round(100 * min(max(edge.confidence, 0.0), 1.0))


def _lead(edge: Edge) -> Evidence | None:
    """The evidence that speaks for the claim's stance (the denial of a denied claim)."""
    return next((e for e in edge.evidence if e.stance == edge.stance), edge.evidence[0] if edge.evidence
                else None)


def describe(edge: Edge, network: Network) -> str:
    """The first evidence sentence with who says so: 'Alleged by CSIS: ...'."""
    ev = _lead(edge)
    if ev is None:
        return f"{edge.stance.capitalize()} claim; no evidence sentence is stored."
    if edge.stance == "alleged":
        who = ev.attributed_to or ", ".join(edge.alleged_by) or "an unnamed source"
    elif edge.stance == "denied":
        who = ev.attributed_to or "an unnamed party"
    else:
        doc = network.documents.get(ev.document)
        who = ev.attributed_to or (doc.publisher if doc and doc.publisher else ev.document)
    return f"{edge.stance.capitalize()} by {who}: {ev.sentence}"


def _relationship(edge: Edge, oid: str, ends: dict[int, str], network: Network,
                  types: dict[str, str]) -> dict[str, Any]:
    refs = []
    for ev in edge.evidence:
        doc = network.documents.get(ev.document)
        refs.append(_clean({"source_name": (doc.publisher if doc else None) or ev.document,
                            "external_id": ev.document, "url": doc.url if doc else None,
                            "description": ev.sentence}))
    evidence = [_clean({"document": ev.document, "sentence": ev.sentence, "stance": ev.stance,
                        "attributed_to": ev.attributed_to, "date": ev.date, "amount": ev.amount,
                        "confidence": round(ev.confidence, 4)})
                for ev in edge.evidence]
    return _clean(_base("relationship", oid, _ts(edge.first_seen), _ts(edge.last_seen)) | {
        "relationship_type": relationship_type(edge.predicate, types[ends[edge.source]],
                                               types[ends[edge.target]]),
        "x_frontwatch_predicate": edge.predicate,  # ours, whatever STIX type carries it
        "source_ref": ends[edge.source], "target_ref": ends[edge.target],
        "description": describe(edge, network), "confidence": confidence(edge),
        "external_references": refs,
        "start_time": _ts(edge.first_seen) if edge.first_seen else None,
        "stop_time": f"{_day(edge.last_seen)}T23:59:59.999Z" if edge.first_seen and edge.last_seen else None,
        "x_frontwatch_date_source": edge.date_source,  # "event" (the sentence's date) or "published"
        "x_frontwatch_stance": edge.stance,
        "x_frontwatch_stance_counts": edge.stance_counts or None,
        "x_frontwatch_asserted_by": edge.asserted_by,
        "x_frontwatch_alleged_by": edge.alleged_by,
        "x_frontwatch_attributed_to": sorted({e.attributed_to for e in edge.evidence if e.attributed_to}),
        "x_frontwatch_denied_by": [d if d != "?" else "unnamed" for d in edge.denied_by],
        "x_frontwatch_tactic": edge.tactic, "x_frontwatch_sources": edge.documents,
        "x_frontwatch_review_status": edge.review_status, "x_frontwatch_evidence": evidence})


def _commentary(edge: Edge, rel: dict[str, Any]) -> list[dict[str, Any]]:
    """A note beside an allegation; an opinion for each claim that a source really denies (an evidence
    sentence whose own stance is denied), authored by whoever denies it. An assertion needs neither."""
    out = []
    if edge.stance == "alleged":
        ev = _lead(edge)
        sentence = f' Evidence: "{ev.sentence}"' if ev else ""
        who = sorted({e.attributed_to for e in edge.evidence if e.stance == "alleged" and e.attributed_to})
        named = ", ".join(who) or "an unnamed source"
        out.append(_clean(_base("note", _id("note", rel["id"]), rel["created"], rel["modified"],
                                custom=False) | {
            "abstract": "Allegation", "authors": who, "object_refs": [rel["id"]],
            "content": f"Alleged by {named}; not established as fact by the reporting.{sentence}"}))
    denials = [e for e in edge.evidence if e.stance == "denied"]
    if denials:
        who = sorted({e.attributed_to for e in denials if e.attributed_to})
        named = ", ".join(who) or "an unnamed party"
        quoted = " ".join(f'"{e.sentence}"' for e in denials[:3])
        out.append(_clean(_base("opinion", _id("opinion", rel["id"]), rel["created"], rel["modified"],
                                custom=False) | {
            "opinion": "strongly-disagree", "authors": who, "object_refs": [rel["id"]],
            "explanation": f"Denied by {named}. Evidence: {quoted}"}))
    return out


def _producer() -> list[dict[str, Any]]:
    """Who wrote the bundle and the extension that declares the x_frontwatch_* properties."""
    identity = _base("identity", PRODUCER_ID, EXTENSION_CREATED, EXTENSION_CREATED, custom=False) | {
        "name": "frontwatch", "identity_class": "system"}
    ext = _base("extension-definition", EXTENSION_ID, EXTENSION_CREATED, EXTENSION_CREATED, custom=False) | {
        "created_by_ref": PRODUCER_ID, "name": "frontwatch claim provenance", "version": "1.0.0",
        "description": "Stance, attribution, tactic, corroboration and evidence of claims extracted from "
                       "reporting on foreign interference and transnational repression.",
        "schema": "Top-level properties: " + ", ".join(PROPERTIES) + ". x_frontwatch_stance is asserted, "
                  "alleged, denied or contested (some sources deny, others assert or allege); start_time, "
                  "stop_time are event dates when x_frontwatch_date_source is event, else published days; "
                  "x_frontwatch_evidence lists the sentences with their own stance.",
        "extension_types": ["toplevel-property-extension"], "extension_properties": list(PROPERTIES)}
    return [identity, ext]


def _node_ids(nodes: list[Node]) -> dict[int, tuple[str, ...]]:
    """A stable key per node (type + name); gazetteer id or a counter only breaks a collision."""
    keys: dict[int, tuple[str, ...]] = {}
    seen: set[tuple[str, ...]] = set()
    for node in nodes:
        key: tuple[str, ...] = (node.type, node.name)
        if key in seen:
            key = (*key, node.gazetteer_id or "")
        n = 1
        while key in seen:
            n += 1
            key = (node.type, node.name, str(n))
        seen.add(key)
        keys[node.id] = key
    return keys


def to_bundle(network: Network) -> dict[str, Any]:
    """The network as a STIX 2.1 bundle (plain JSON-able dict)."""
    nodes = sorted(network.nodes.values(), key=lambda n: n.id)
    edges = sorted(network.edges, key=lambda e: e.id)
    keys = _node_ids(nodes)
    # the uuid depends on the entity only, not on which SDO type its claims make it
    ends = {n.id: _id(sdo_type(n, edges), *keys[n.id], name="entity") for n in nodes}
    seen: dict[int, list[str]] = {n.id: [] for n in nodes}
    for e in edges:
        for end in (e.source, e.target):
            seen[end] += [d for d in (e.first_seen, e.last_seen) if d]
    every = sorted(d.date for d in network.documents.values() if d.date)
    sdos = [_sdo(n, ends[n.id], edges, _ts(min(seen[n.id], default=every[0] if every else None)),
                 _ts(max(seen[n.id], default=every[-1] if every else None))) for n in nodes]
    types = {sdo["id"]: opencti_type(sdo) for sdo in sdos}  # as OpenCTI will name them
    rels: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    supports: dict[str, set[str]] = {key: set() for key in network.documents}
    taken: set[str] = set()
    for e in edges:
        triple = (*keys[e.source], "->", e.predicate, "->", *keys[e.target])
        oid = _id("relationship", *triple)
        if oid in taken:  # the same triple twice (edited predicates): keep both, distinctly
            oid = _id("relationship", *triple, str(e.id))
        taken.add(oid)
        rel = _relationship(e, oid, ends, network, types)
        rels.append(rel)
        comments += _commentary(e, rel)
        for ev in e.evidence:
            supports.setdefault(ev.document, set()).update((oid, ends[e.source], ends[e.target]))
    reports = []
    for key in sorted(supports):
        doc = network.documents.get(key)
        if not supports[key]:
            continue
        day = _ts(doc.date if doc else None)
        reports.append(_clean(_base("report", _id("report", key), day, day) | {
            "name": (doc.title if doc else None) or key, "published": day, "report_types": ["threat-report"],
            "object_refs": sorted(supports[key]),
            "external_references": [_clean({"source_name": (doc.publisher if doc else None) or key,
                                            "external_id": key, "url": doc.url if doc else None})],
            "x_frontwatch_document": key,
            "x_frontwatch_published_unknown": True if doc is None or not doc.published else None}))
    objects = [*_producer(), *sdos, *rels, *comments, *reports]
    return {"type": "bundle", "id": _id("bundle", *sorted(o["id"] for o in objects)), "objects": objects}


def write(network: Network, out: Path) -> None:
    """Write the bundle as indented JSON (UTF-8, stable key order)."""
    out.write_text(json.dumps(to_bundle(network), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
