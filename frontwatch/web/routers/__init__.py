"""One router per resource: JSON under /api, pages at the paths of docs/web-contract.md."""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    analysis,
    auth,
    browse,
    claims,
    documents,
    entities,
    export,
    graph,
    investigations,
    meta,
    notes,
    pages,
    places,
    screen,
    timeline,
)

ROUTERS: list[APIRouter] = [meta.router, auth.router, entities.router, claims.router, documents.router,
                            graph.router, places.router, timeline.router, export.router, screen.router,
                            investigations.router, notes.router, analysis.router, browse.router,
                            pages.router]
