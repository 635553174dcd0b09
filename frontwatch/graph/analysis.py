"""Whole-network analysis with igraph: centrality, Leiden communities and the brokers between them.
Functions take the network first and return plain dicts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import igraph as ig

from ..errors import FrontwatchError
from ..model import ENTITY_TYPES
from .network import Network

MEASURES = ("degree", "pagerank", "betweenness")


def restrict(network: Network, exclude_types: Iterable[str] = (), exclude_hubs: int = 0) -> Network:
    """The network without entities of some types (say country, which every claim about a state touches)
    and without its `exclude_hubs` best-connected entities (most distinct neighbours, after the types are
    gone; ties by name); their claims go with them. The exclusions are recorded in `filters`."""
    types = tuple(dict.fromkeys(exclude_types))
    for t in types:
        if t not in ENTITY_TYPES:
            raise FrontwatchError(f"unknown entity type '{t}' (one of {', '.join(ENTITY_TYPES)})")
    if exclude_hubs < 0:
        raise FrontwatchError("--exclude-hubs wants a number of entities, 0 or more")
    if not types and not exclude_hubs:
        return network
    keep = {i for i, n in network.nodes.items() if n.type not in types}
    edges = [e for e in network.edges if e.source in keep and e.target in keep]
    hubs: list[str] = []
    if exclude_hubs:
        neighbours: dict[int, set[int]] = {i: set() for i in keep}
        for e in edges:
            if e.source != e.target:
                neighbours[e.source].add(e.target)
                neighbours[e.target].add(e.source)
        ranked = sorted(keep, key=lambda i: (-len(neighbours[i]), network.nodes[i].name, i))[:exclude_hubs]
        hubs = [network.nodes[i].name for i in ranked]
        keep -= set(ranked)
        edges = [e for e in edges if e.source in keep and e.target in keep]
    described = dict(network.filters)
    if types:
        described["exclude_types"] = list(types)
    if exclude_hubs:
        described["excluded_hubs"] = hubs
    return replace(network, nodes={i: n for i, n in network.nodes.items() if i in keep}, edges=edges,
                   filters=described)


def to_igraph(network: Network) -> tuple[ig.Graph, list[int]]:
    """An undirected simple graph (claims between the same pair collapse; weight = sources)."""
    ids = sorted(network.nodes)
    pos = {n: i for i, n in enumerate(ids)}
    weights: dict[tuple[int, int], int] = {}
    for e in network.edges:
        if e.source == e.target:
            continue
        key = (min(pos[e.source], pos[e.target]), max(pos[e.source], pos[e.target]))
        weights[key] = weights.get(key, 0) + max(e.documents, 1)
    g = ig.Graph(n=len(ids), edges=list(weights), directed=False)
    g.es["weight"] = list(weights.values())
    return g, ids


def _node(network: Network, node_id: int) -> dict[str, Any]:
    n = network.nodes[node_id]
    return {"id": n.id, "name": n.name, "type": n.type}


def central(network: Network, by: str = "degree", top: int = 20) -> dict[str, Any]:
    """The most central entities by degree, PageRank or betweenness."""
    if by not in MEASURES:
        raise ValueError(f"--by must be one of {', '.join(MEASURES)}")
    g, ids = to_igraph(network)
    if not ids:
        return {"by": by, "filters": network.filters, "entities": []}
    if by == "degree":
        scores = [float(d) for d in g.degree()]
    elif by == "pagerank":
        scores = g.pagerank(weights="weight")
    else:
        scores = g.betweenness(directed=False)
    ranked = sorted(range(len(ids)), key=lambda i: (-scores[i], network.nodes[ids[i]].name))[:top]
    return {"by": by, "filters": network.filters,
            "entities": [{**_node(network, ids[i]), "score": round(scores[i], 6), "degree": g.degree(i)}
                         for i in ranked]}


def communities(network: Network, resolution: float = 1.0, seed: int = 7) -> dict[str, Any]:
    """Leiden communities (modularity), largest first, members by degree."""
    g, ids = to_igraph(network)
    if not ids:
        return {"filters": network.filters, "communities": [], "modularity": 0.0, "membership": {}}
    import random

    random.seed(seed)  # Leiden is randomised: a fixed seed gives the same partition every time
    ig.set_random_number_generator(random)
    part = g.community_leiden(objective_function="modularity", weights="weight",
                              resolution=resolution, n_iterations=-1)
    groups: dict[int, list[int]] = {}
    for i, c in enumerate(part.membership):
        groups.setdefault(c, []).append(i)
    ordered = sorted(groups.values(), key=lambda members: (-len(members), min(members)))
    degree = g.degree()
    return {
        "filters": network.filters, "modularity": round(part.modularity, 4),
        "communities": [{"id": k, "size": len(m),
                         "members": [_node(network, ids[i]) for i in sorted(m, key=lambda i: -degree[i])]}
                        for k, m in enumerate(ordered)],
        "membership": {ids[i]: ordered_index for ordered_index, m in enumerate(ordered) for i in m},
    }


def brokers(network: Network, top: int = 20) -> dict[str, Any]:
    """Entities whose claims reach into several communities, ranked by how evenly they bridge them
    (participation coefficient) and by betweenness."""
    comm = communities(network)
    membership: dict[int, int] = comm["membership"]
    g, ids = to_igraph(network)
    if not ids:
        return {"filters": network.filters, "brokers": []}
    between = g.betweenness(directed=False)
    out = []
    for i, node_id in enumerate(ids):
        reach: dict[int, int] = {}
        for j in g.neighbors(i):
            c = membership[ids[j]]
            reach[c] = reach.get(c, 0) + 1
        if len(reach) < 2:
            continue
        k = sum(reach.values())
        participation = 1.0 - sum((v / k) ** 2 for v in reach.values())
        out.append({**_node(network, node_id), "communities": len(reach),
                    "participation": round(participation, 4), "betweenness": round(between[i], 3),
                    "own_community": membership[node_id]})
    out.sort(key=lambda r: (-r["communities"], -r["participation"], -r["betweenness"], r["name"]))
    return {"filters": network.filters, "brokers": out[:top]}
