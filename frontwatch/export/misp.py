"""The network as one MISP event (JSON, as MISP imports it and PyMISP's MISPEvent.load_file reads it).

Each entity is a MISP object: person (full-name, alias), organization (name, alias,
type-of-organization) or geolocation (country or city, countrycode). Each claim is
* an object reference from the subject's object to the object's, whose relationship comes from
  frontwatch/data/mappings/misp.yaml and whose comment says the stance and who says so, and
* an annotation object (type "Annotation") that annotates both ends: its text is the claim in words
  with its stance and attribution, its refs the source URLs; its text attribute is tagged
  frontwatch:predicate, frontwatch:stance, frontwatch:tactic and the tactic's DISARM galaxy tags.
Stance and attribution travel with every claim: an allegation never reads as a fact. The event's and
objects' uuids are uuid5 over stable keys, so a re-export updates the same objects in MISP.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pymisp import MISPEvent, MISPObject

from ..graph.network import Edge, Network, Node
from .stix import describe

NAMESPACE = uuid.UUID("0b7f5c52-5a55-4b8e-9d77-6b1e3c0e2f11")  # fixed forever: uuids must not change
ORGANIZATION_TYPES = {"state_body": "state body", "diplomatic_mission": "diplomatic mission",
                      "overseas_station": "overseas police station", "organization": "organization"}
FALLBACK_DAY = "1970-01-01"


@lru_cache(maxsize=1)
def mapping() -> dict[str, Any]:
    """frontwatch/data/mappings/misp.yaml: relationships per predicate, galaxy tags per tactic."""
    text = resources.files("frontwatch").joinpath("data", "mappings", "misp.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _uuid(*key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(key)))


def _entity(node: Node, key: str) -> MISPObject:
    if node.type == "person":
        obj = MISPObject("person", standalone=False)
        obj.add_attribute("full-name", value=node.name)
    elif node.type in ("country", "place"):
        obj = MISPObject("geolocation", standalone=False)
        obj.add_attribute("country" if node.type == "country" else "city", value=node.name)
        code = node.state or (node.gazetteer_id if node.type == "country" else None)
        if code and len(code) == 2:
            obj.add_attribute("countrycode", value=code.lower())
    else:
        obj = MISPObject("organization", standalone=False)
        obj.add_attribute("name", value=node.name)
        obj.add_attribute("type-of-organization", value=ORGANIZATION_TYPES.get(node.type, node.type))
    if node.type != "country" and node.type != "place":
        for alias in sorted(node.aliases):
            obj.add_attribute("alias", value=alias)
    obj.uuid = _uuid("entity", key)
    obj.comment = f"frontwatch entity type: {node.type}" + (
        f"; gazetteer id {node.gazetteer_id}" if node.gazetteer_id else "")
    return obj


def tags(edge: Edge) -> list[str]:
    """frontwatch's machine tags for a claim plus the DISARM galaxy tags of its tactic."""
    out = [f'frontwatch:predicate="{edge.predicate}"', f'frontwatch:stance="{edge.stance}"']
    if edge.tactic:
        out.append(f'frontwatch:tactic="{edge.tactic}"')
        out += mapping()["tactics"].get(edge.tactic) or []
    return out


def _claim(edge: Edge, network: Network, ends: dict[int, MISPObject]) -> MISPObject:
    subject, target = network.nodes[edge.source], network.nodes[edge.target]
    relation = mapping()["relationships"].get(edge.predicate, "related-to")
    who = describe(edge, network)  # "Alleged by CSIS: <sentence>"
    ends[edge.source].add_reference(ends[edge.target].uuid, relation,
                                    comment=f"{edge.predicate}, {edge.stance}. {who}")
    note = MISPObject("annotation", standalone=False)
    note.uuid = _uuid("claim", ends[edge.source].uuid, edge.predicate, ends[edge.target].uuid, str(edge.id))
    lines = [f"{subject.name} {edge.predicate} {target.name}: {edge.stance}"
             + (f", alleged by {', '.join(edge.alleged_by)}" if edge.alleged_by else "")
             + (f", denied by {', '.join(d if d != '?' else 'an unnamed party' for d in edge.denied_by)}"
                if edge.denied_by else "") + ".",
             who, f"Confidence {edge.confidence:.2f}; {edge.documents} source document(s); "
                  f"tactic {edge.tactic or 'none'}; review {edge.review_status}."]
    text = note.add_attribute("text", value="\n".join(lines))
    if text is not None:
        for tag in tags(edge):
            text.add_tag(tag)
    note.add_attribute("type", value="Annotation")
    note.add_attribute("format", value="text")
    for url in sorted({network.documents[ev.document].url or "" for ev in edge.evidence
                       if ev.document in network.documents} - {""}):
        note.add_attribute("ref", value=url)
    note.comment = f"frontwatch claim {edge.id}"
    note.add_reference(ends[edge.source].uuid, "annotates", comment="subject")
    note.add_reference(ends[edge.target].uuid, "annotates", comment="object")
    return note


def to_event(network: Network) -> MISPEvent:
    """The network as a MISPEvent."""
    event = MISPEvent()
    days = sorted(d.date for d in network.documents.values() if d.date)
    event.info = ("frontwatch: actors and claims from reporting on foreign interference "
                  "(stance and attribution travel with every claim; allegations are not facts)")
    event.set_date(days[-1] if days else FALLBACK_DAY)
    event.distribution = 0  # your organisation only, until someone decides otherwise
    event.threat_level_id = 4  # undefined
    event.analysis = 1  # ongoing
    event.uuid = _uuid("event", *sorted(str(n.id) for n in network.nodes.values()))
    event.add_tag('frontwatch:export="network"')
    nodes = sorted(network.nodes.values(), key=lambda n: n.id)
    ends = {n.id: _entity(n, f"{n.type}|{n.gazetteer_id or n.name}|{n.id}") for n in nodes}
    claims = [_claim(e, network, ends) for e in sorted(network.edges, key=lambda e: e.id)]
    for obj in [*ends.values(), *claims]:
        event.add_object(obj)
    for tag in sorted({t for e in network.edges for t in tags(e) if t.startswith("misp-galaxy:")}):
        event.add_tag(tag)
    return event


def write(network: Network, out: Path) -> None:
    """Write the event as MISP JSON ({"Event": {...}})."""
    out.write_text(to_event(network).to_json(indent=2) + "\n", encoding="utf-8")
