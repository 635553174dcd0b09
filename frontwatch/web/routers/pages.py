"""The pages: thin handlers rendering templates/<page>.html (server-rendered shells; the data comes from
the API with fetch). Until a template exists, a small built-in shell with the same context stands in.

Every page gets: `csrf_token` (the session's, else ""), `user` ({"name", "role"} or None), `read_only`,
`page` (its name), `title`; entity.html `entity_id`, document.html `document_id`, graph.html `entity_id`
(or None), login.html `error` and `next` (or None). Jinja autoescapes everything.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...store.schema import DocumentRow, EntityRow
from ..deps import Auth, AuthDep, SessionDep
from ..models import MAX_ID

router = APIRouter(include_in_schema=False)

NAV = [("/", "Home"), ("/search", "Search"), ("/documents", "Documents"), ("/entities", "Entities"),
       ("/claims", "Claims"), ("/graph", "Graph"), ("/review", "Review"), ("/map", "Map"),
       ("/timeline", "Timeline"), ("/screen", "Screen")]
_BASE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="{{ csrf_token }}">
<title>{{ title }} · frontwatch</title></head>
<body data-page="{{ page }}">
<nav>{% for href, label in nav %}<a href="{{ href }}">{{ label }}</a> {% endfor %}
{% if user %}<span>{{ user.name }} ({{ user.role }})</span>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ csrf_token }}">
<button type="submit">Log out</button></form>{% elif not read_only %}<a href="/login">Log in</a>{% endif %}
</nav><main>{% block content %}<h1>{{ title }}</h1><p>This page's template is not installed.</p>
{% endblock %}</main></body></html>"""
_EXTENDS = "{% extends layout %}"  # the pages' own base.html when it exists (see render)
_LOGIN = _EXTENDS + """{% block content %}<h1>Log in</h1>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<form method="post" action="/login"><label>User name <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<input type="hidden" name="csrf_token" value="{{ csrf_token }}">
{% if next %}<input type="hidden" name="next" value="{{ next }}">{% endif %}
<button type="submit">Log in</button></form>{% endblock %}"""
_ERROR = _EXTENDS + """{% block content %}<h1>{{ title }}</h1><p>{{ message }}</p>{% endblock %}"""
_DOCS = _EXTENDS + """{% block content %}<h1>{{ title }}</h1>
<p>The machine-readable schema is at <a href="/openapi.json">/openapi.json</a>. Errors are
<code>{"detail": "..."}</code>.</p>{% for op in operations %}<section><h2>{{ op.method }} {{ op.path }}</h2>
<p>{{ op.summary }}</p>{% if op.description %}<p>{{ op.description }}</p>{% endif %}
{% if op.params %}<ul>{% for p in op.params %}<li><code>{{ p.name }}</code> ({{ p.where }}{% if p.required %},
required{% endif %}){% if p.description %}: {{ p.description }}{% endif %}</li>{% endfor %}</ul>{% endif %}
</section>{% endfor %}{% endblock %}"""
PAGES = {"home.html": "Home", "browse.html": "Browse",
         "search.html": "Search", "entity.html": "Entity", "graph.html": "Graph", "document.html": "Document",
         "review.html": "Review", "map.html": "Map", "timeline.html": "Timeline", "screen.html": "Screen",
         "login.html": "Log in"}
FALLBACK_TEMPLATES = {"_fallback_base.html": _BASE, "login.html": _LOGIN, "error.html": _ERROR,
                      "api_docs.html": _DOCS} | {
    name: '{% extends "_fallback_base.html" %}' for name in PAGES if name != "login.html"}


def render(request: Request, name: str, auth: Auth, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page with the context every template gets."""
    user = {"name": auth.user.name, "role": auth.user.role} if auth.user else None
    ctx: dict[str, Any] = {"csrf_token": auth.csrf or "", "user": user, "read_only": auth.read_only,
                           "nav": NAV, "page": name.removesuffix(".html"),
                           "title": PAGES.get(name, "frontwatch"), "error": None}
    ctx.update(context)
    templates = request.app.state.templates
    try:
        templates.env.get_template("base.html")
        ctx["layout"] = "base.html"
    except jinja2.TemplateNotFound:
        ctx["layout"] = "_fallback_base.html"
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def safe_next(value: str | None) -> str | None:
    """A path on this site to go back to after logging in (never another site)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or len(value) > 2000:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in value):
        return None
    return value


def _gate(request: Request, auth: Auth) -> Response | None:
    """Once users exist, every page but the login page needs a login."""
    if not auth.read_only and auth.user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return None


def _page(name: str) -> Any:
    def handler(request: Request, auth: AuthDep) -> Response:
        return _gate(request, auth) or render(request, name, auth)
    return handler


for _path, _name in (("/", "home.html"), ("/search", "search.html"), ("/review", "review.html"),
                     ("/map", "map.html"),
                     ("/timeline", "timeline.html"), ("/screen", "screen.html")):
    router.add_api_route(_path, _page(_name), methods=["GET"], response_class=HTMLResponse)


def _browse(kind: str, title: str) -> Any:
    def handler(request: Request, auth: AuthDep) -> Response:
        return _gate(request, auth) or render(request, "browse.html", auth, kind=kind, page=kind, title=title)
    return handler


for _kind, _title in (("documents", "Documents"), ("entities", "Entities"), ("claims", "Claims")):
    router.add_api_route(f"/{_kind}", _browse(_kind, _title), methods=["GET"], response_class=HTMLResponse)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, auth: AuthDep,
               next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    return render(request, "login.html", auth, next=safe_next(next))


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, auth: AuthDep,
               entity: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    return _gate(request, auth) or render(request, "graph.html", auth, entity_id=entity)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, auth: AuthDep, session: SessionDep,
                entity_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    gate = _gate(request, auth)
    if gate is not None:
        return gate
    row = session.get(EntityRow, entity_id)
    if row is None:
        return render(request, "error.html", auth, 404, title="Not found", message=f"no entity {entity_id}")
    if row.merged_into_id is not None:  # merged: its profile is the entity it lives on in
        from ...store.queries import live_entity

        return RedirectResponse(f"/entities/{live_entity(session, entity_id).id}", status_code=303)
    return render(request, "entity.html", auth, entity_id=entity_id, title=row.name)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, auth: AuthDep, session: SessionDep,
                  document_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    gate = _gate(request, auth)
    if gate is not None:
        return gate
    doc = session.get(DocumentRow, document_id)
    if doc is None:
        return render(request, "error.html", auth, 404, title="Not found",
                      message=f"no document {document_id}")
    return render(request, "document.html", auth, document_id=document_id, title=doc.title or doc.doc_key)


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, auth: AuthDep) -> Response:
    """The API reference, rendered here from the OpenAPI schema (no third-party browser code)."""
    gate = _gate(request, auth)  # like the API itself, its reference needs a login once users exist
    if gate is not None:
        return gate
    operations = []
    for path, item in request.app.openapi().get("paths", {}).items():
        for method, op in item.items():
            params = [{"name": p["name"], "where": p["in"], "required": p.get("required", False),
                       "description": p.get("description", "")} for p in op.get("parameters", [])]
            if "requestBody" in op:
                params.append({"name": "JSON body", "where": "body", "required": True, "description": ""})
            operations.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                               "description": op.get("description", ""), "params": params})
    return render(request, "api_docs.html", auth, title="API", operations=operations)
