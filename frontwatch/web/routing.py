"""A route class for paths that several routes share (GET and POST /api/claims): a 405 answer's
`Allow` header names every method of the path, not only those of the route that happened to match."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send


class SharedPathRoute(APIRoute):
    allow: frozenset[str] = frozenset()  # every method of this path in its router (share_paths)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed = sorted(self.allow | set(self.methods))
            response = JSONResponse({"detail": "Method Not Allowed"}, status_code=405,
                                    headers={"Allow": ", ".join(allowed)})
            await response(scope, receive, send)
            return
        await super().handle(scope, receive, send)


def share_paths(router: APIRouter) -> None:
    """Tell each route of the router the methods of the others on its path (call after the routes)."""
    by_path: dict[str, set[str]] = {}
    for route in router.routes:
        if isinstance(route, APIRoute):
            by_path.setdefault(route.path, set()).update(route.methods or ())
    for route in router.routes:
        if isinstance(route, SharedPathRoute):
            route.allow = frozenset(by_path[route.path])
