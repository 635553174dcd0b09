"""Graph queries and analysis on the example corpus, through the API and the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from frontwatch.errors import FrontwatchError
from frontwatch.graph.analysis import brokers, central, communities, restrict
from frontwatch.graph.filters import Filters
from frontwatch.graph.network import Edge, Network, Node, load_network
from frontwatch.graph.traverse import neighbors, shortest_paths
from frontwatch.store.db import Store


def test_neighbors_grow_with_depth_and_respect_filters(example_store_url: str) -> None:
    with Store(example_store_url).read() as s:
        one = neighbors(s, "Canada", 1)
        two = neighbors(s, "Canada", 2)
        asserted = neighbors(s, "Canada", 2, Filters(stance="asserted"))
    assert one["center"]["name"] == "Canada" and len(one["nodes"]) > 3
    assert {n["id"] for n in one["nodes"]} < {n["id"] for n in two["nodes"]}
    assert all(n["distance"] <= 1 for n in one["nodes"])
    assert all(e["stance"] == "asserted" for e in asserted["edges"])
    assert len(asserted["edges"]) < len(two["edges"])


def test_shortest_path_has_evidence_on_every_hop(example_store_url: str) -> None:
    with Store(example_store_url).read() as s:
        far = [n for n in neighbors(s, "China", 2)["nodes"] if n["distance"] == 2][0]
        result = shortest_paths(s, "China", str(far["id"]))
    assert result["paths"], result
    assert {p["length"] for p in result["paths"]} == {2}  # only the shortest ones
    for path in result["paths"]:
        assert path["hops"][0]["from"] == "China" and path["hops"][-1]["to"] == far["name"]
        for hop in path["hops"]:
            assert hop["evidence"] and hop["evidence"][0]["sentence"] and hop["stance"]
            assert {hop["from"], hop["to"]} == {hop["subject"], hop["object"]}


def test_no_path_and_same_entity(example_store_url: str) -> None:
    with Store(example_store_url).read() as s:
        assert shortest_paths(s, "Canada", "India", Filters(predicates=("meets",)))["paths"] == []
        with pytest.raises(FrontwatchError):
            shortest_paths(s, "Canada", "Canada")


@pytest.mark.parametrize("by", ["degree", "pagerank", "betweenness"])
def test_central(example_network: Network, by: str) -> None:
    result = central(example_network, by, top=5)
    scores = [e["score"] for e in result["entities"]]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)
    assert result == central(example_network, by, top=5)


def test_communities_partition_the_network_and_are_stable(example_network: Network) -> None:
    result = communities(example_network)
    members = [m["id"] for c in result["communities"] for m in c["members"]]
    assert sorted(members) == sorted(example_network.nodes) and len(members) == len(set(members))
    assert result["modularity"] > 0.3
    assert result == communities(example_network)


def two_groups_and_a_bridge() -> Network:
    """Two tight groups of four and one entity with claims into both."""
    nodes = {i: Node(i, f"E{i}", "organization") for i in range(1, 10)}
    pairs = [(a, b) for group in ((1, 2, 3, 4), (5, 6, 7, 8)) for a in group for b in group if a < b]
    pairs += [(9, 1), (9, 2), (9, 5), (9, 6)]
    edges = [Edge(k, a, b, "meets", None, "alleged", 1, 1, None, None, "pending")
             for k, (a, b) in enumerate(pairs)]
    return Network(nodes, edges, {})


def test_brokers_bridge_communities() -> None:
    result = brokers(two_groups_and_a_bridge(), top=3)
    assert result["brokers"][0]["name"] == "E9"
    assert all(b["communities"] >= 2 for b in result["brokers"])
    assert len(communities(two_groups_and_a_bridge())["communities"]) == 2


def test_filters_are_validated() -> None:
    with pytest.raises(FrontwatchError, match="unknown predicate"):
        Filters(predicates=("likes",))
    with pytest.raises(FrontwatchError, match="--since wants a date"):
        Filters(since="last year")


def test_accepted_only_and_rejected_claims(example_store_url: str, tmp_path: object) -> None:
    with Store(example_store_url).read() as s:
        assert load_network(s, Filters(accepted_only=True)).edges == []


@pytest.mark.parametrize("args", [
    ["graph", "neighbors", "China", "--depth", "2", "--json"],
    ["graph", "path", "China", "Canada", "--json"],
    ["graph", "central", "--by", "pagerank", "--json"],
    ["graph", "communities", "--json"],
    ["graph", "brokers", "--json", "--stance", "alleged"],
])
def test_graph_cli_json(example_store_url: str, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "frontwatch", *args, "--db", example_store_url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), dict)


def test_graph_cli_bad_filter_is_a_usage_error(example_store_url: str) -> None:
    done = subprocess.run([sys.executable, "-m", "frontwatch", "graph", "central", "--tactic", "bribery",
                           "--db", example_store_url], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "unknown tactic 'bribery'" in done.stderr


def test_restrict_leaves_out_types_and_hubs() -> None:
    net = two_groups_and_a_bridge()
    net.nodes[9] = Node(9, "E9", "country")
    assert restrict(net) is net
    no_country = restrict(net, ["country"])
    assert 9 not in no_country.nodes and all(9 not in (e.source, e.target) for e in no_country.edges)
    assert no_country.filters["exclude_types"] == ["country"]
    assert "E9" not in [b["name"] for b in brokers(no_country)["brokers"]]
    hubless = restrict(net, exclude_hubs=1)  # E9 has 4 neighbours; the groups' members 3 or 4 (by name)
    assert hubless.filters["excluded_hubs"] == ["E1"] and 1 not in hubless.nodes
    assert len(hubless.nodes) == 8 and all(1 not in (e.source, e.target) for e in hubless.edges)
    with pytest.raises(FrontwatchError, match="unknown entity type 'nation'"):
        restrict(net, ["nation"])


def test_analysis_excludes_countries_on_the_example(example_network: Network) -> None:
    before = central(example_network, "betweenness", top=50)["entities"]
    assert any(e["type"] == "country" for e in before)
    after = central(restrict(example_network, ["country"], exclude_hubs=2), "betweenness", top=50)
    assert after["entities"] and all(e["type"] != "country" for e in after["entities"])
    assert len(after["filters"]["excluded_hubs"]) == 2
    assert not {e["name"] for e in after["entities"]} & set(after["filters"]["excluded_hubs"])


@pytest.mark.parametrize(("args", "code", "text"), [
    (["brokers", "--exclude-type", "country", "--stance", "asserted", "--json"], 0, '"exclude_types"'),
    (["central", "--by", "betweenness", "--exclude-hubs", "3", "--accepted-only", "--json"], 0, '"entities"'),
    (["communities", "--exclude-type", "nation"], 2, "unknown entity type 'nation'"),
])
def test_graph_cli_exclusions(example_store_url: str, args: list[str], code: int, text: str) -> None:
    done = subprocess.run([sys.executable, "-m", "frontwatch", "graph", *args, "--db", example_store_url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stderr
    assert text in (done.stdout if code == 0 else done.stderr)
    if code:
        assert len(done.stderr.strip().splitlines()) == 1
