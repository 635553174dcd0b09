"""Logging in and out (form posts from the login page and the nav bar)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ..deps import AuthDep, WriteStoreDep
from ..security import SESSION_COOKIE, SESSION_LIFETIME, authenticate, end_session, start_session
from .pages import render, safe_next

router = APIRouter(include_in_schema=False)


def _cross_site(request: Request) -> bool:
    """A browser names the page a form was posted from: refuse logins posted from another site."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc.lower() != (request.headers.get("host") or "").lower()


@router.post("/login")
def login(request: Request, store: WriteStoreDep, auth: AuthDep,
          username: Annotated[str, Form(max_length=200)], password: Annotated[str, Form(max_length=1024)],
          next: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    """Check the password; on success start a session (cookie fw_session) and go to the search page
    (or to `next`, a path on this site)."""
    back = safe_next(next)
    if _cross_site(request):
        return render(request, "login.html", auth, next=back, status_code=403,
                      error="login refused: cross-site form")
    if auth.read_only:
        return render(request, "login.html", auth, next=back, status_code=403,
                      error="no users are configured: the workbench is read-only")
    client = request.client.host if request.client else "?"
    limiter = request.app.state.limiter
    if limiter.blocked(username, client):
        return render(request, "login.html", auth, next=back, status_code=429,
                      error="too many failed logins: wait ten minutes and try again")

    old = request.cookies.get(SESSION_COOKIE)

    def work(session: Session) -> str | None:
        user = authenticate(session, username, password)
        if user is None:
            return None
        end_session(session, old)  # a new login never keeps (or adopts) an earlier session
        return start_session(session, user)

    token = store.retry(work)
    if token is None:
        limiter.failed(username, client)
        return render(request, "login.html", auth, next=back, status_code=401,
                      error="wrong user name or password")
    limiter.succeeded(username, client)
    response = RedirectResponse(back or "/", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request, store: WriteStoreDep) -> Response:
    """End the session (the CSRF token is checked like any other post)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        store.retry(lambda s: end_session(s, token))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
