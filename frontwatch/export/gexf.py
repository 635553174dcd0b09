"""GEXF 1.3 for Gephi: a dynamic graph whose edges live from first_seen to last_seen (event dates from
the evidence, else published days: the `date_source` attribute says which), so the timeline shows when.
Stance and attribution are edge attributes, never dropped.

Written with xml.etree rather than networkx.write_gexf so the file declares GEXF 1.3, dynamic mode
and timeformat="date" exactly, whatever networkx infers from the values.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from ..graph.network import Edge, Network, Node

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# One colour per SCHEMA entity type (Tableau 10), so Gephi's view separates states from their proxies.
TYPE_COLORS: dict[str, tuple[int, int, int]] = {
    "person": (31, 119, 180),
    "state_body": (214, 39, 40),
    "diplomatic_mission": (255, 127, 14),
    "overseas_station": (148, 103, 189),
    "organization": (44, 160, 44),
    "country": (140, 86, 75),
    "place": (127, 127, 127),
}
OTHER_COLOR = (188, 189, 34)

# Attribute name -> GEXF type. The same names are used by the GraphML export.
NODE_ATTRIBUTES: dict[str, str] = {
    "type": "string", "aliases": "string", "gazetteer_id": "string", "review_status": "string",
}
EDGE_ATTRIBUTES: dict[str, str] = {
    "predicate": "string", "stance": "string", "tactic": "string", "sources": "integer",
    "publishers": "integer", "alleged_by": "string", "denied_by": "string", "evidence": "string",
    "review_status": "string", "confidence": "double", "asserted_by": "string", "stance_counts": "string",
    "date_source": "string",
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def clean(value: str | None) -> str:
    """Text safe for XML 1.0 (control characters in scraped text would make the file unreadable)."""
    return _XML_INVALID.sub("", value or "")


def iso_date(value: str | None) -> str | None:
    """A store date as xsd:date ("2023" -> "2023-01-01"); None when it is not a date at all."""
    m = _DATE.match((value or "").strip())
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def node_attributes(node: Node) -> dict[str, str]:
    return {"type": node.type, "aliases": clean("; ".join(node.aliases)),
            "gazetteer_id": clean(node.gazetteer_id), "review_status": node.review_status}


def edge_attributes(edge: Edge) -> dict[str, str | int | float]:
    """The claim's attributes; the first evidence sentence shows what the claim rests on."""
    return {
        "predicate": edge.predicate, "stance": edge.stance, "tactic": edge.tactic or "",
        "sources": edge.documents, "publishers": edge.publishers,
        "alleged_by": clean("; ".join(edge.alleged_by)), "denied_by": clean("; ".join(edge.denied_by)),
        "evidence": clean(edge.evidence[0].sentence) if edge.evidence else "",
        "review_status": edge.review_status, "confidence": round(edge.confidence, 4),
        "asserted_by": clean("; ".join(edge.asserted_by)),
        "stance_counts": "; ".join(f"{k} {n}" for k, n in edge.stance_counts.items()),
        "date_source": edge.date_source or "",  # the edge's start/end: "event" dates or "published" days
    }


def edge_span(edge: Edge) -> tuple[str | None, str | None]:
    """(start, end) of an edge for a timeline; a missing end is the start (seen once)."""
    start, end = iso_date(edge.first_seen), iso_date(edge.last_seen)
    if start is None:
        start = end
    if end is None or (start is not None and end < start):
        end = start
    return start, end


def node_starts(network: Network) -> dict[int, str]:
    """Each node's earliest edge date: a node enters the timeline with its first claim."""
    starts: dict[int, str] = {}
    for edge in network.edges:
        start, _ = edge_span(edge)
        if start is None:
            continue
        for node_id in (edge.source, edge.target):
            if node_id not in starts or start < starts[node_id]:
                starts[node_id] = start
    return starts


def _attribute_declarations(graph: ET.Element, cls: str, attrs: dict[str, str]) -> None:
    block = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
    for name, typ in attrs.items():
        ET.SubElement(block, f"{{{GEXF_NS}}}attribute", {"id": name, "title": name, "type": typ})


def _attvalues(parent: ET.Element, values: dict[str, str] | dict[str, str | int | float]) -> None:
    block = ET.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
    for name, value in values.items():
        ET.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": name, "value": str(value)})


def build(network: Network) -> ET.ElementTree:
    """The GEXF document as an element tree."""
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", VIZ_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {
        "version": "1.3", f"{{{XSI_NS}}}schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta", {"lastmodifieddate": date.today().isoformat()})
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "frontwatch"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = (
        "Claims about foreign interference and transnational repression; each edge carries its stance "
        "(asserted/alleged/denied) and who alleged or denied it.")
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {
        "mode": "dynamic", "defaultedgetype": "directed", "timeformat": "date"})
    _attribute_declarations(graph, "node", NODE_ATTRIBUTES)
    _attribute_declarations(graph, "edge", EDGE_ATTRIBUTES)

    starts = node_starts(network)
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for node in network.nodes.values():
        kw = {"id": str(node.id), "label": clean(node.name)}
        if node.id in starts:
            kw["start"] = starts[node.id]
        el = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", kw)
        _attvalues(el, node_attributes(node))
        r, g, b = TYPE_COLORS.get(node.type, OTHER_COLOR)
        ET.SubElement(el, f"{{{VIZ_NS}}}color", {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})

    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for edge in network.edges:
        kw = {"id": str(edge.id), "source": str(edge.source), "target": str(edge.target),
              "label": edge.predicate, "weight": str(max(1, edge.documents))}
        start, end = edge_span(edge)
        if start is not None and end is not None:
            kw["start"], kw["end"] = start, end
        el = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", kw)
        _attvalues(el, edge_attributes(edge))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def write(network: Network, out: Path) -> None:
    """Write the network to `out` as a GEXF 1.3 file (parent folders are created)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    build(network).write(out, encoding="UTF-8", xml_declaration=True)
