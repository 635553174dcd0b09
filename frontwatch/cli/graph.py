"""`frontwatch graph ...`: neighbours, shortest paths, centrality, communities and brokers."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import FrontwatchError
from .store import Db, Json, out, read_store

graph_app = typer.Typer(help="Ask the network questions: neighbours, paths, centrality, communities, "
                        "brokers.", no_args_is_help=True)

Predicate = Annotated[list[str] | None, typer.Option("--predicate", help="Only these predicates (repeat).")]
Stance = Annotated[str | None, typer.Option(
    "--stance", help="asserted, alleged or denied: claims a source states that way; contested: denied by one "
    "source and asserted or alleged by another (as in `claims --stance`).")]
Tactic = Annotated[str | None, typer.Option("--tactic", help="Only claims with this tactic.")]
Since = Annotated[str | None, typer.Option(
    "--since", help="Claims dated on or after YYYY-MM-DD (event dates, else published days).")]
Until = Annotated[str | None, typer.Option("--until", help="Claims dated on or before YYYY-MM-DD.")]
MinSources = Annotated[int, typer.Option("--min-sources", min=1, help="At least N distinct documents.")]
Accepted = Annotated[bool, typer.Option("--accepted-only", help="Only claims an analyst accepted.")]
ExcludeType = Annotated[list[str] | None, typer.Option(
    "--exclude-type", help="Leave out entities of this type, e.g. country (repeat).")]
ExcludeHubs = Annotated[int, typer.Option("--exclude-hubs", min=0,
                                          help="Leave out the N best-connected entities.")]


def filters(predicate: list[str] | None, stance: str | None, tactic: str | None, since: str | None,
            until: str | None, min_sources: int, accepted_only: bool) -> Any:
    from ..graph.filters import Filters

    try:
        return Filters(tuple(predicate or ()), stance, tactic, since, until, min_sources, accepted_only)
    except FrontwatchError as exc:
        typer.echo(f"frontwatch: {exc}", err=True)
        raise typer.Exit(2) from None


def _print(data: dict[str, Any], as_json: bool, table: Table | None) -> None:
    if as_json or table is None:
        out.print(json.dumps(data, indent=2, default=str), markup=False)
    else:
        out.print(table)


def _edges_table(title: str, edges: list[dict[str, Any]]) -> Table:
    t = Table(title=title)
    for col in ("claim", "subject", "predicate", "object", "stance", "tactic", "sources"):
        t.add_column(col, overflow="fold")
    for e in edges:
        t.add_row(str(e["id"]), e["subject"], e["predicate"], e["object"], e["stance"], e["tactic"] or "-",
                  str(e["documents"]))
    return t


@graph_app.command("neighbors")
def graph_neighbors(name: Annotated[str, typer.Argument(help="Entity name, alias or id.")],
                    depth: Annotated[int, typer.Option("--depth", min=1, max=6)] = 1,
                    predicate: Predicate = None, stance: Stance = None, tactic: Tactic = None,
                    since: Since = None, until: Until = None, min_sources: MinSources = 1,
                    accepted_only: Accepted = False, db: Db = None, as_json: Json = False) -> None:
    """Entities within --depth hops of NAME and the claims between them."""
    from ..graph.traverse import neighbors

    f = filters(predicate, stance, tactic, since, until, min_sources, accepted_only)
    data = read_store(db, lambda session: neighbors(session, name, depth, f))
    t = _edges_table(f"{data['center']['name']}: {len(data['nodes']) - 1} neighbours within {depth} hops",
                     data["edges"])
    _print(data, as_json, t)


@graph_app.command("path")
def graph_path(source: Annotated[str, typer.Argument(help="From (name or id).")],
               target: Annotated[str, typer.Argument(help="To (name or id).")],
               max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=12)] = 8,
               predicate: Predicate = None, stance: Stance = None, tactic: Tactic = None,
               since: Since = None, until: Until = None, min_sources: MinSources = 1,
               accepted_only: Accepted = False, db: Db = None, as_json: Json = False) -> None:
    """Shortest paths between two entities, with the evidence of every hop."""
    from ..graph.traverse import shortest_paths

    f = filters(predicate, stance, tactic, since, until, min_sources, accepted_only)
    data = read_store(db, lambda session: shortest_paths(session, source, target, f, max_hops=max_hops))
    if as_json:
        _print(data, True, None)
        return
    if not data["paths"]:
        out.print(f"no path from {data['source']} to {data['target']} ({data.get('note', '')})", markup=False)
        return
    for i, path in enumerate(data["paths"], 1):
        out.print(f"[bold]path {i}[/bold] ({path['length']} hops)")
        for h in path["hops"]:
            ev = (h.get("evidence") or [{}])[0]
            by = f", by {ev['attributed_to']}" if ev.get("attributed_to") else ""
            who = f" ({h['stance']}{by})"
            out.print(f"  {h['subject']} -{h['predicate']}-> {h['object']}{who}", markup=False)
            if ev:
                out.print(f"      “{ev['sentence']}” [{ev['document']}]", markup=False)


def _load(db: str | None, f: Any, exclude_type: list[str] | None = None, exclude_hubs: int = 0) -> Any:
    from ..graph.analysis import restrict
    from ..graph.network import load_network

    network = read_store(db, lambda session: load_network(session, f))
    try:
        return restrict(network, exclude_type or (), exclude_hubs)
    except FrontwatchError as exc:
        typer.echo(f"frontwatch: {exc}", err=True)
        raise typer.Exit(2) from None


@graph_app.command("central")
def graph_central(by: Annotated[str, typer.Option("--by", help="degree, pagerank or betweenness")] = "degree",
                  top: Annotated[int, typer.Option("--top", min=1)] = 20,
                  predicate: Predicate = None, stance: Stance = None, tactic: Tactic = None,
                  since: Since = None, until: Until = None, min_sources: MinSources = 1,
                  accepted_only: Accepted = False, exclude_type: ExcludeType = None,
                  exclude_hubs: ExcludeHubs = 0, db: Db = None, as_json: Json = False) -> None:
    """The most central entities of the (filtered) network."""
    from ..graph.analysis import MEASURES, central

    if by not in MEASURES:
        typer.echo(f"frontwatch: --by must be one of {', '.join(MEASURES)}", err=True)
        raise typer.Exit(2)
    f = filters(predicate, stance, tactic, since, until, min_sources, accepted_only)
    data = central(_load(db, f, exclude_type, exclude_hubs), by, top)
    t = Table(title=f"most central by {by}")
    for col in ("entity", "type", "score", "degree"):
        t.add_column(col)
    for e in data["entities"]:
        t.add_row(e["name"], e["type"], f"{e['score']:.4g}", str(e["degree"]))
    _print(data, as_json, t)


@graph_app.command("communities")
def graph_communities(predicate: Predicate = None, stance: Stance = None, tactic: Tactic = None,
                      since: Since = None, until: Until = None, min_sources: MinSources = 1,
                      accepted_only: Accepted = False, exclude_type: ExcludeType = None,
                      exclude_hubs: ExcludeHubs = 0, db: Db = None, as_json: Json = False) -> None:
    """Leiden communities of the (filtered) network, largest first."""
    from ..graph.analysis import communities

    f = filters(predicate, stance, tactic, since, until, min_sources, accepted_only)
    data = communities(_load(db, f, exclude_type, exclude_hubs))
    data.pop("membership", None)
    t = Table(title=f"{len(data['communities'])} communities (modularity {data['modularity']})")
    t.add_column("community")
    t.add_column("size")
    t.add_column("members (most connected first)", overflow="fold")
    for c in data["communities"]:
        t.add_row(str(c["id"]), str(c["size"]), "; ".join(m["name"] for m in c["members"][:12]))
    _print(data, as_json, t)


@graph_app.command("brokers")
def graph_brokers(top: Annotated[int, typer.Option("--top", min=1)] = 20,
                  predicate: Predicate = None, stance: Stance = None, tactic: Tactic = None,
                  since: Since = None, until: Until = None, min_sources: MinSources = 1,
                  accepted_only: Accepted = False, exclude_type: ExcludeType = None,
                  exclude_hubs: ExcludeHubs = 0, db: Db = None, as_json: Json = False) -> None:
    """Entities that bridge communities (participation across communities, betweenness)."""
    from ..graph.analysis import brokers

    f = filters(predicate, stance, tactic, since, until, min_sources, accepted_only)
    data = brokers(_load(db, f, exclude_type, exclude_hubs), top)
    t = Table(title="brokers between communities")
    for col in ("entity", "type", "communities reached", "participation", "betweenness"):
        t.add_column(col)
    for b in data["brokers"]:
        t.add_row(b["name"], b["type"], str(b["communities"]), str(b["participation"]), str(b["betweenness"]))
    _print(data, as_json, t)
