"""FastAPI dependencies as `Annotated` aliases: the store, sessions, the current user, roles, CSRF and
the claim filters every graph-like endpoint shares."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from sqlalchemy.orm import Session

from ..errors import FrontwatchError
from ..graph.filters import Filters
from ..store.db import Store
from .models import IsoDate, PredicateName, StanceFilter, TacticName
from .security import SESSION_COOKIE, CurrentUser, has_users, is_loopback, same_token, session_user

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_EXEMPT = {"/login"}  # no session yet; the login form is checked by origin instead


@dataclass(frozen=True)
class Auth:
    """Who is asking: the user (None when not logged in), the session's CSRF token, read-only mode."""

    user: CurrentUser | None
    csrf: str | None
    read_only: bool


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


WriteStoreDep = Annotated[Store, Depends(get_store)]


def read_session(store: WriteStoreDep) -> Iterator[Session]:
    with store.read() as session:
        yield session


SessionDep = Annotated[Session, Depends(read_session)]


def get_auth(request: Request, store: WriteStoreDep) -> Auth:
    cached: Auth | None = getattr(request.state, "auth", None)
    if cached is not None:
        return cached
    with store.read() as session:
        read_only = not has_users(session)
        found = None if read_only else session_user(session, request.cookies.get(SESSION_COOKIE))
    if read_only and not is_loopback(request.client.host if request.client else None):
        # The one rule, decided here for every request whatever the bind address or the Host header: with
        # no users (say the last one was removed while serving) only loopback clients may use the store.
        raise HTTPException(403, "no users are configured: only loopback clients may connect (add one "
                                 "with `frontwatch users add`)")
    auth = Auth(found[0] if found else None, found[1] if found else None, read_only)
    request.state.auth = auth
    return auth


AuthDep = Annotated[Auth, Depends(get_auth)]


def current_user(auth: AuthDep) -> CurrentUser | None:
    return auth.user


UserDep = Annotated[CurrentUser | None, Depends(current_user)]


def _require(auth: Auth, role: str) -> CurrentUser:
    if auth.read_only and role != "viewer":
        raise HTTPException(403, "read-only: no users are configured (add one with `frontwatch users add`)")
    if auth.user is None:
        raise HTTPException(401, "login required")
    if not auth.user.can(role):
        raise HTTPException(403, f"this needs the {role} role (you are {auth.user.role})")
    return auth.user


def reader(auth: AuthDep) -> CurrentUser | None:
    """Anyone may read a read-only workbench; once users exist, reading needs a login."""
    if auth.read_only:
        return None
    return _require(auth, "viewer")


def analyst(auth: AuthDep) -> CurrentUser:
    return _require(auth, "analyst")


def admin(auth: AuthDep) -> CurrentUser:
    return _require(auth, "admin")


ViewerDep = Annotated[CurrentUser | None, Depends(reader)]
AnalystDep = Annotated[CurrentUser, Depends(analyst)]
AdminDep = Annotated[CurrentUser, Depends(admin)]


async def check_csrf(request: Request, auth: AuthDep) -> None:
    """Every POST/PUT/PATCH/DELETE made with a session carries its CSRF token (header X-CSRF-Token or
    form field csrf_token). Without a session nothing can be forged: writes then fail on the role."""
    if request.method not in UNSAFE or request.url.path in CSRF_EXEMPT or auth.user is None:
        return
    given = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if not given and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get("csrf_token")
        given = value if isinstance(value, str) else None
    if not same_token(given, auth.csrf):
        raise HTTPException(403, "CSRF token missing or wrong")


CsrfDep = Annotated[None, Depends(check_csrf)]


def claim_filters(
    predicate: Annotated[list[PredicateName] | None, Query(description="Only these predicates (repeat).")
                         ] = None,
    stance: Annotated[StanceFilter | None, Query(
        description="Claims with a source of this stance, or contested: denied by one source and asserted "
                    "or alleged by another.")] = None,
    tactic: Annotated[TacticName | None, Query()] = None,
    since: Annotated[IsoDate | None, Query(
        description="Claims dated on or after this day (event dates, else published days).")] = None,
    until: Annotated[IsoDate | None, Query(description="Claims dated on or before this day.")] = None,
    min_sources: Annotated[int, Query(ge=1, le=1_000_000, description="At least N documents.")] = 1,
    accepted_only: Annotated[bool, Query(description="Only claims an analyst accepted.")] = False,
) -> Filters:
    try:
        return Filters(tuple(dict.fromkeys(predicate or ())), stance, tactic,
                       since, until, min_sources, accepted_only)
    except FrontwatchError as exc:
        raise HTTPException(422, str(exc)) from None


FiltersDep = Annotated[Filters, Depends(claim_filters)]
