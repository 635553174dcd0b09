"""GraphML (yEd, Cytoscape, Gephi, igraph) via networkx: a MultiDiGraph, since two actors can be linked
by several claims. Same attributes as the GEXF export; GraphML has no null, so missing values are "".
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..graph.network import Network
from .gexf import clean, edge_attributes, edge_span, node_attributes, node_starts


def to_networkx(network: Network) -> nx.MultiDiGraph:
    """The network as a networkx MultiDiGraph (nodes keyed by entity id, edges by claim id)."""
    graph = nx.MultiDiGraph()
    starts = node_starts(network)
    for node in network.nodes.values():
        graph.add_node(node.id, label=clean(node.name), name=clean(node.name), **node_attributes(node),
                       start=starts.get(node.id, ""))
    for edge in network.edges:
        start, end = edge_span(edge)
        graph.add_edge(edge.source, edge.target, key=str(edge.id), label=edge.predicate,
                       **edge_attributes(edge), first_seen=start or "", last_seen=end or "")
    return graph


def write(network: Network, out: Path) -> None:
    """Write the network to `out` as GraphML (parent folders are created)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(to_networkx(network), out, encoding="utf-8")
