"""Whole-network analysis over the API: centrality, communities and brokers, with the claim filters and
the exclusions of `frontwatch graph central/communities/brokers` (entity types such as country, hubs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from ...graph import analysis
from ...graph.network import Network, load_network
from ..deps import FiltersDep, SessionDep, ViewerDep
from ..models import EntityType

router = APIRouter(prefix="/api/analysis", tags=["analysis"])


def restricted(session: SessionDep, _: ViewerDep, filters: FiltersDep,
               exclude_type: Annotated[list[EntityType] | None, Query(
                   description="Leave out entities of this type, e.g. country (repeat).")] = None,
               exclude_hubs: Annotated[int, Query(ge=0, le=1000, description=(
                   "Leave out the N best-connected entities."))] = 0) -> Network:
    return analysis.restrict(load_network(session, filters), exclude_type or (), exclude_hubs)


NetworkDep = Annotated[Network, Depends(restricted)]
Top = Annotated[int, Query(ge=1, le=1000)]
Measure = Annotated[Literal["degree", "pagerank", "betweenness"], Query()]


@router.get("/central")
def central(network: NetworkDep, top: Top = 20,
            by: Measure = "degree") -> dict[str, Any]:
    """The most central entities by degree, PageRank or betweenness."""
    return analysis.central(network, by, top)


@router.get("/communities")
def communities(network: NetworkDep) -> dict[str, Any]:
    """Leiden communities, largest first, members by degree."""
    data = analysis.communities(network)
    data["membership"] = {str(k): v for k, v in data["membership"].items()}
    return data


@router.get("/brokers")
def brokers(network: NetworkDep, top: Top = 20) -> dict[str, Any]:
    """Entities whose claims reach into several communities (participation, betweenness)."""
    return analysis.brokers(network, top)
