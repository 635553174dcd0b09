"""Investigations: an analyst's saved entities and claims with notes and the graph layout (list, create,
get, update, delete; writing needs the analyst role and is audited), and downloads of exactly their
subgraph, or of the subgraph on screen, in the export formats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ...graph.network import load_network
from ...store import investigations as inv
from ..deps import AnalystDep, SessionDep, ViewerDep, WriteStoreDep
from ..models import MAX_ID, Id, PlainText, Strict
from ..routing import SharedPathRoute, share_paths
from .export import MEDIA, network_file

router = APIRouter(prefix="/api/investigations", tags=["investigations"], route_class=SharedPathRoute)
InvestigationId = Annotated[int, Path(ge=1, le=MAX_ID)]
Format = Literal["stix", "misp", "ftm", "gexf", "csv"]
MAX_ITEMS = 20_000
Coordinate = Annotated[float, Field(ge=-1e9, le=1e9, allow_inf_nan=False, strict=True)]


class Position(Strict):
    x: Coordinate
    y: Coordinate


IdList = Annotated[list[Id], Field(max_length=MAX_ITEMS)]
NodeKey = Annotated[str, Field(pattern=r"^[0-9]{1,10}$")]  # an entity id
# keys other than entity ids are refused: the schema says so too (patternProperties alone allows any key)
Layout = Annotated[dict[NodeKey, Position], Field(max_length=MAX_ITEMS,
                                                   json_schema_extra={"additionalProperties": False})]


class InvestigationIn(Strict):
    name: Annotated[PlainText, Field(min_length=1, max_length=inv.MAX_NAME)]
    notes: Annotated[PlainText, Field(max_length=100_000)] = ""
    entity_ids: IdList = []
    claim_ids: IdList = []
    layout: Layout = {}


class InvestigationPatch(Strict):
    name: Annotated[PlainText, Field(min_length=1, max_length=inv.MAX_NAME)] | None = None
    notes: Annotated[PlainText, Field(max_length=100_000)] | None = None
    entity_ids: IdList | None = None
    claim_ids: IdList | None = None
    layout: Layout | None = None


class InvestigationItem(BaseModel):
    id: int
    name: str
    created_by: str
    created_at: str
    updated_at: str
    entities: int
    claims: int


class InvestigationOut(InvestigationItem):
    notes: str
    entity_ids: list[int]
    claim_ids: list[int]
    layout: dict[str, dict[str, float]]


class Subgraph(Strict):
    """The subgraph on screen: its claims (edges) and entities (nodes, some perhaps without a claim)."""

    format: Format
    claim_ids: IdList = []
    entity_ids: IdList = []


def _body(model: BaseModel) -> dict[str, Any]:
    return {k: v.model_dump() if isinstance(v, BaseModel) else v
            for k, v in model.model_dump(exclude_none=True).items()}


def _file(session: Session, claim_ids: list[int], entity_ids: list[int], format: str) -> FileResponse:
    network = load_network(session, only_claims=claim_ids, entity_ids=set(entity_ids) or None)
    return network_file(network, format)


DOWNLOAD: dict[int | str, dict[str, Any]] = {200: {"description": "The export as a download",
                                                   "content": MEDIA}}


@router.get("", response_model=list[InvestigationItem])
def list_all(session: SessionDep, _: ViewerDep) -> list[dict[str, Any]]:
    """Saved investigations, the last changed first."""
    return inv.list_investigations(session)


@router.post("", response_model=InvestigationOut, status_code=201)
def create(body: InvestigationIn, store: WriteStoreDep, user: AnalystDep) -> dict[str, Any]:
    """Save a named investigation: entity ids, claim ids, notes and node positions (by entity id)."""
    return store.retry(lambda s: inv.to_dict(inv.create_investigation(s, user.name, _body(body)), session=s))


@router.post("/export", response_class=FileResponse, responses=DOWNLOAD)
def export_subgraph(body: Subgraph, session: SessionDep, _: ViewerDep) -> FileResponse:
    """Exactly these claims and entities (the subgraph on screen) as STIX, FtM, GEXF or CSV (a zip)."""
    return _file(session, body.claim_ids, body.entity_ids, body.format)


@router.get("/{investigation_id:int}", response_model=InvestigationOut)
def get(investigation_id: InvestigationId, session: SessionDep, _: ViewerDep) -> dict[str, Any]:
    """One investigation with its notes, entity and claim ids and layout."""
    return inv.to_dict(inv.get_investigation(session, investigation_id), session=session)


@router.put("/{investigation_id:int}", response_model=InvestigationOut)
def update(investigation_id: InvestigationId, body: InvestigationPatch, store: WriteStoreDep,
           user: AnalystDep) -> dict[str, Any]:
    """Change the fields given; the others stay."""
    return store.retry(lambda s: inv.to_dict(inv.update_investigation(s, investigation_id, user.name,
                                                                      _body(body)), session=s))


@router.delete("/{investigation_id:int}", status_code=204)
def delete(investigation_id: InvestigationId, store: WriteStoreDep, user: AnalystDep) -> Response:
    """Delete an investigation (the audit log keeps what it held)."""
    store.retry(lambda s: inv.delete_investigation(s, investigation_id, user.name))
    return Response(status_code=204)


@router.get("/{investigation_id:int}/graph")
def graph(investigation_id: InvestigationId, session: SessionDep, _: ViewerDep) -> dict[str, Any]:
    """The investigation's entities and claims for the graph page: `nodes` ({id, name, type}) and `edges`
    (each claim with its stance, who alleges and denies it, tactic and number of documents)."""
    entity_ids, claim_ids, _layout = inv.current(session, inv.get_investigation(session, investigation_id))
    network = load_network(session, only_claims=claim_ids, entity_ids=set(entity_ids) or None)
    return {"nodes": [{"id": n.id, "name": n.name, "type": n.type} for n in network.nodes.values()],
            "edges": [{"id": e.id, "source": e.source, "target": e.target, "predicate": e.predicate,
                       "stance": e.stance, "tactic": e.tactic, "documents": e.documents,
                       "alleged_by": e.alleged_by, "denied_by": e.denied_by} for e in network.edges]}


@router.get("/{investigation_id:int}/export", response_class=FileResponse, responses=DOWNLOAD)
def export(investigation_id: InvestigationId, session: SessionDep, _: ViewerDep,
           format: Annotated[Format, Query(description="stix, misp, ftm, gexf or csv (zip: nodes, edges)")]
           ) -> FileResponse:
    """Exactly the investigation's claims and entities in one of the export formats."""
    entity_ids, claim_ids, _layout = inv.current(session, inv.get_investigation(session, investigation_id))
    return _file(session, claim_ids, entity_ids, format)


share_paths(router)
