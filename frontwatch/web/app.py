"""The web workbench (`frontwatch serve`): a FastAPI app with a JSON API under /api and server-rendered
page shells that fetch from it. See docs/web-contract.md (the contract) and docs/web.md (the manual)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import FrontwatchError, NotFoundError, SourceError, StoreError
from ..store.db import Store, short_error
from .deps import ViewerDep, check_csrf
from .security import LoginLimiter

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"]
MAX_BODY = 2 * 1024 * 1024  # bytes: the largest request body (a screened text is at most 100,000 characters)
INTERNAL_ERROR = "internal error (the server's log has the details)"
log = logging.getLogger("frontwatch.web")


class SecurityHeaders:
    """Security headers on every response (API, pages, static files, errors); optionally only the
    expected Host names (a server on loopback refuses DNS-rebinding requests)."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str] | None = None) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allowed is not None and _host(scope) not in self.allowed:
            response = JSONResponse({"detail": "unexpected Host header"}, status_code=400)
            await response(scope, receive, _with_headers(send, scope))
            return
        await self.app(scope, receive, _with_headers(send, scope))


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 before they are read: by Content-Length up front,
    and by counting what is streamed (chunked requests, or a Content-Length that lies)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        try:
            declared = int(length) if length else None
        except ValueError:
            declared = None
        if length and (declared is None or declared < 0):
            await _error(400, "invalid Content-Length")(scope, receive, send)
            return
        if declared is not None and declared > self.limit:
            await _error(413, f"request body over {self.limit} bytes")(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise StarletteHTTPException(413, f"request body over {self.limit} bytes")
            return message

        await self.app(scope, counted, send)


class InternalErrors:
    """An exception nothing else handled (a bug, a full disk): logged with its traceback, answered with
    500 and {"detail": ...} as JSON, inside the security headers, never a text/plain page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # the answer is under way: all that can be done is to end the connection
                raise
            await _error(500, INTERNAL_ERROR)(scope, receive, send)


def _host(scope: Scope) -> str:
    raw = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").strip().lower()
    if raw.startswith("["):
        return raw[1:raw.find("]")] if "]" in raw else raw
    return raw.rsplit(":", 1)[0] if raw.count(":") == 1 else raw


def _with_headers(send: Send, scope: Scope) -> Send:
    api = str(scope.get("path", "")).startswith("/api/")

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in
                       {name for name, _ in SECURITY_HEADERS}]
            headers += SECURITY_HEADERS
            if api:
                headers.append((b"cache-control", b"no-store"))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


def assets_dir(assets: Path | None) -> Path:
    """Where third-party browser code is: `assets`, else $FRONTWATCH_ASSETS, else npm's node_modules in a
    checkout (what `npm ci` keeps current), else the copy in the package (web/vendor, made by `make dist`)."""
    if assets is not None:
        return Path(assets)
    env = os.environ.get("FRONTWATCH_ASSETS")
    if env:
        return Path(env)
    modules = REPO / "node_modules"
    if (REPO / "pyproject.toml").is_file() and modules.is_dir():
        return modules
    return HERE / "vendor"


def _templates() -> Jinja2Templates:
    from .routers.pages import FALLBACK_TEMPLATES

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(HERE / "templates"),
                                    jinja2.DictLoader(FALLBACK_TEMPLATES)]),
        autoescape=True)
    return Jinja2Templates(env=env)


def _error(status: int, detail: Any) -> JSONResponse:
    return JSONResponse({"detail": detail if isinstance(detail, str) else str(detail)}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",)) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(db: str | None = None, *, assets: Path | None = None,
               allowed_hosts: list[str] | None = None) -> FastAPI:
    """The workbench on the store at `db` (URL or SQLite path; default as the CLI: $FRONTWATCH_DB or
    ./frontwatch.db). `allowed_hosts` limits the Host header (serve passes the loopback names)."""
    from .routers import ROUTERS

    app = FastAPI(
        title="frontwatch", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None,
        description="Evidence-linked network of reporting on foreign interference. Every claim carries "
                    "its stance, attribution and sources: an allegation is never a fact.",
        dependencies=[Depends(check_csrf)],
    )
    app.state.store = Store(db)
    app.state.templates = _templates()
    app.state.limiter = LoginLimiter()
    for router in ROUTERS:
        app.include_router(router)
    static = HERE / "static"
    if static.is_dir():
        app.mount("/static", StaticFiles(directory=static), name="static")
    vendor = assets_dir(assets)
    if vendor.is_dir():
        app.mount("/vendor", StaticFiles(directory=vendor), name="vendor")

    @app.exception_handler(NotFoundError)
    async def _not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(SourceError)
    async def _unreadable(_: Request, exc: SourceError) -> JSONResponse:
        return _error(422, exc.reason)  # e.g. a screened text that is not the format it claims

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        return _error(503, str(exc))

    @app.exception_handler(SQLAlchemyError)
    async def _database(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        # a store that went wrong under the server (a full disk, a damaged file): one line, logged
        log.error("store error on %s %s: %s", request.method, request.url.path, short_error(exc))
        return _error(503, f"store error: {short_error(exc)}")

    @app.exception_handler(FrontwatchError)
    async def _frontwatch(_: Request, exc: FrontwatchError) -> JSONResponse:
        # a well-formed request the store's state refuses (already merged, already undone, ...)
        return _error(409, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    app.openapi = _openapi(app)  # type: ignore[method-assign]

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json(_: ViewerDep) -> JSONResponse:
        """The schema; like the API, it needs a login once users exist."""
        return JSONResponse(app.openapi())

    app.add_middleware(InternalErrors)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders, allowed_hosts=allowed_hosts)
    return app


def _openapi(app: FastAPI) -> Any:
    """FastAPI's schema with our error shape: every error is {"detail": "..."}."""
    from fastapi.openapi.utils import get_openapi

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        error = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["Error"] = error
        schemas.pop("ValidationError", None)
        schemas["HTTPValidationError"] = error
        ref = {"$ref": "#/components/schemas/Error"}
        for path in schema.get("paths", {}).values():
            for op in path.values():
                responses = op.setdefault("responses", {})
                responses.setdefault("default", {"description": "Error",
                                                 "content": {"application/json": {"schema": ref}}})
        app.openapi_schema = schema
        return schema

    return build
