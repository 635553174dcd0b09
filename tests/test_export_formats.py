"""GEXF, GraphML, CSV and JSON Lines exports of the example network: each reads back with the usual
tools, with the same nodes and edges, and no edge loses its stance."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from frontwatch.export import csv as csv_export
from frontwatch.export import gexf, graphml, jsonl
from frontwatch.graph.network import Edge, Evidence, Network, Node, SourceDocument
from frontwatch.model import STANCES

NS = {"g": gexf.GEXF_NS, "viz": gexf.VIZ_NS}


def test_example_network_is_not_trivial(example_network: Network) -> None:
    assert len(example_network.nodes) > 10 and len(example_network.edges) > 10


# --- GEXF ------------------------------------------------------------------------------------------

def test_gexf_is_dynamic_and_reads_back(example_network: Network, tmp_path: Path) -> None:
    out = tmp_path / "net.gexf"
    gexf.write(example_network, out)
    root = ET.parse(out).getroot()
    assert root.tag == f"{{{gexf.GEXF_NS}}}gexf" and root.get("version") == "1.3"
    graph = root.find("g:graph", NS)
    assert graph is not None
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"

    g = nx.read_gexf(out)
    assert g.graph["mode"] == "dynamic"
    assert g.number_of_nodes() == len(example_network.nodes)
    assert g.number_of_edges() == len(example_network.edges)
    for _, _, data in g.edges(data=True):
        if data["date_source"]:  # event dates, else published days; an undated claim has no span
            assert data["start"] and data["end"] and data["start"] <= data["end"]
        else:
            assert "start" not in data and "end" not in data
        assert data["stance"] in (*STANCES, "contested")
        assert data["predicate"] == data["label"]
        assert isinstance(data["sources"], int) and data["sources"] >= 1
    for _, data in g.nodes(data=True):
        assert data["label"] and data["type"]
        assert "color" in data["viz"]


def test_gexf_every_edge_element_has_span_and_claim_attributes(example_network: Network,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "net.gexf"
    gexf.write(example_network, out)
    root = ET.parse(out).getroot()
    edges = root.findall("g:graph/g:edges/g:edge", NS)
    assert len(edges) == len(example_network.edges)
    node_start = {n.get("id"): n.get("start", "") for n in root.findall("g:graph/g:nodes/g:node", NS)}
    for el in edges:
        start, end = el.get("start", ""), el.get("end", "")
        values = {a.get("for"): a.get("value") for a in el.findall("g:attvalues/g:attvalue", NS)}
        assert {"predicate", "stance", "tactic", "sources", "publishers", "alleged_by", "denied_by",
                "evidence", "asserted_by", "stance_counts", "date_source"} <= values.keys()
        if not values["date_source"]:
            assert not start and not end  # unknown stays unknown: no invented span
            continue
        assert start and end and start <= end
        # a node enters the timeline no later than any of its claims
        assert node_start[el.get("source")] <= start
        assert node_start[el.get("target")] <= start


def _tiny_network() -> Network:
    nodes = {1: Node(1, "Ministry\x0b of State Security", "state_body", ["MSS"], "cn-mss"),
             2: Node(2, "Jane Roe", "person"), 3: Node(3, "Lonely Place", "place")}
    edges = [
        Edge(7, 1, 2, "targets", None, "alleged", 1, 0, None, None, "pending", ["CSIS"], [],
             [Evidence("d1", "CSIS said the MSS targeted Jane Roe.", "alleged", "CSIS", None, None)]),
        Edge(8, 2, 1, "meets", "espionage", "denied", 2, 1, "2021", "2022-03", "pending", [], ["Jane Roe"]),
    ]
    return Network(nodes, edges, {"d1": SourceDocument("d1", "T", "https://x.test/a", "x.test", None,
                                                       "2021-01-01")})


def test_gexf_undated_edges_partial_dates_and_control_characters(tmp_path: Path) -> None:
    out = tmp_path / "tiny.gexf"
    gexf.write(_tiny_network(), out)
    g = nx.read_gexf(out)  # a raw \x0b in the XML would make this fail
    assert g.nodes["1"]["label"] == "Ministry of State Security"
    by_id = {d["id"]: d for _, _, d in g.edges(data=True)}
    assert "start" not in by_id["7"] and by_id["7"]["alleged_by"] == "CSIS"
    assert (by_id["8"]["start"], by_id["8"]["end"]) == ("2021-01-01", "2022-03-01")
    assert "start" not in g.nodes["3"]


@pytest.mark.parametrize(("raw", "iso"), [("2024-02-29", "2024-02-29"), ("2023", "2023-01-01"),
                                          ("2023-07", "2023-07-01"), ("soon", None), (None, None),
                                          ("2023-02-30", None)])
def test_gexf_dates(raw: str | None, iso: str | None) -> None:
    assert gexf.iso_date(raw) == iso


# --- GraphML ---------------------------------------------------------------------------------------

def test_graphml_reads_back_with_attributes(example_network: Network, tmp_path: Path) -> None:
    out = tmp_path / "net.graphml"
    graphml.write(example_network, out)
    g = nx.read_graphml(out, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(example_network.nodes)
    assert g.number_of_edges() == len(example_network.edges)
    for node in example_network.nodes.values():
        data = g.nodes[str(node.id)]
        assert data["label"] == node.name and data["type"] == node.type
        assert data["review_status"] == node.review_status
    want = {str(e.id): e for e in example_network.edges}
    for u, v, key, data in g.edges(keys=True, data=True):
        edge = want[str(key)]  # networkx reads numeric edge ids back as int
        assert (u, v) == (str(edge.source), str(edge.target))
        assert data["predicate"] == edge.predicate and data["stance"] == edge.stance
        assert data["alleged_by"] == "; ".join(edge.alleged_by)
        assert data["tactic"] == (edge.tactic or "")
        assert int(data["sources"]) == edge.documents
        assert "evidence" in data and "first_seen" in data


def test_graphml_has_no_missing_values(tmp_path: Path) -> None:
    out = tmp_path / "tiny.graphml"
    graphml.write(_tiny_network(), out)  # None anywhere would make networkx refuse
    g = nx.read_graphml(out, force_multigraph=True)
    assert g.number_of_edges() == 2
    assert g.nodes["2"]["gazetteer_id"] == ""


# --- CSV -------------------------------------------------------------------------------------------

def test_csv_tables(example_network: Network, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    csv_export.write(example_network, out)
    with (out / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        nodes = list(csv.DictReader(fh))
    with (out / "edges.csv").open(newline="", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == len(example_network.nodes)
    assert len(edges) == len(example_network.edges)
    assert list(nodes[0]) == list(csv_export.NODE_COLUMNS)
    assert list(edges[0]) == list(csv_export.EDGE_COLUMNS)
    ids = {row["id"]: row["name"] for row in nodes}
    for row in edges:
        assert row["source"] in ids and row["target"] in ids
        assert ids[row["source"]] == row["source_name"] and ids[row["target"]] == row["target_name"]
        assert row["stance"] in (*STANCES, "contested")
        assert row["evidence"] and row["documents"]
        assert row["stance_counts"] and row["date_source"] in ("event", "published", "")
        assert bool(row["date_source"]) == bool(row["first_seen"])


def test_csv_lists_documents_and_urls(tmp_path: Path) -> None:
    csv_export.write(_tiny_network(), tmp_path / "t")
    with (tmp_path / "t" / "edges.csv").open(newline="", encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    assert rows["7"]["documents"] == "d1" and rows["7"]["urls"] == "https://x.test/a"
    assert rows["7"]["alleged_by"] == "CSIS" and rows["8"]["denied_by"] == "Jane Roe"


# --- JSON Lines ------------------------------------------------------------------------------------

def test_jsonl_counts_per_kind(example_network: Network, tmp_path: Path) -> None:
    out = tmp_path / "net.jsonl"
    jsonl.write(example_network, out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = Counter(rec["kind"] for rec in lines)
    assert kinds == {"entity": len(example_network.nodes), "claim": len(example_network.edges),
                     "document": len(example_network.documents)}
    # entities, then claims, then documents
    order = [rec["kind"] for rec in lines]
    assert order == sorted(order, key=["entity", "claim", "document"].index)
    entity_ids = {rec["id"] for rec in lines if rec["kind"] == "entity"}
    doc_keys = {rec["key"] for rec in lines if rec["kind"] == "document"}
    for rec in lines:
        if rec["kind"] == "claim":
            assert rec["source"] in entity_ids and rec["target"] in entity_ids
            assert rec["stance"] in STANCES and rec["evidence"]
            assert all(ev["document"] in doc_keys and ev["stance"] in STANCES for ev in rec["evidence"])
