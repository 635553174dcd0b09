"""Access control of the workbench: read-only mode, sessions, CSRF, roles, login rate limiting, security
headers, Host checking, hostile text in pages, and `frontwatch serve` / `frontwatch users`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from web_helpers import PASSWORD, add_users, client, copy_store, login

from frontwatch.model import Document
from frontwatch.store.db import Store
from frontwatch.store.schema import UserRow, WebSessionRow
from frontwatch.web.app import CSP

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
HOSTILE = "<script>alert(1)</script>"
WRITES = [("/api/claims/1/review", {"status": "accepted"}), ("/api/entities/merge", {"keep": 1, "gone": 2}),
          ("/api/entities/1/split", {"forms": ["x"]}), ("/api/entities/1/review", {"status": "accepted"}),
          ("/api/audit/1/undo", None)]


@pytest.fixture
def url(example_store_url: str, tmp_path: Path) -> str:
    """A private copy of the example store with a viewer, an analyst and an admin."""
    copy = copy_store(example_store_url, tmp_path)
    add_users(copy)
    return copy


def assert_headers(r: httpx.Response) -> None:
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


# --- read-only mode -----------------------------------------------------------------------------

def test_read_only_mode_refuses_every_write(example_store_url: str, tmp_path: Path) -> None:
    c = client(copy_store(example_store_url, tmp_path))
    assert c.get("/api/me").json() == {"user": None, "csrf": None, "read_only": True}
    assert c.get("/api/claims").status_code == 200 and c.get("/").status_code == 200
    for path, body in WRITES:
        r = c.post(path, json=body, headers={"X-CSRF-Token": "anything"})
        assert r.status_code == 403 and "read-only" in r.json()["detail"], path
    assert c.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 403
    assert c.get("/api/audit").json() == []


# --- logins and sessions ------------------------------------------------------------------------

def test_login_logout_and_cookie(url: str) -> None:
    c = client(url)
    assert c.post("/login", data={"username": "ana", "password": "wrong password"}).status_code == 401
    assert c.post("/login", data={"username": "nobody", "password": PASSWORD}).status_code == 401
    r = c.post("/login", data={"username": "ana", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("fw_session=") and "httponly" in cookie and "samesite=strict" in cookie
    assert "path=/" in cookie and "secure" not in cookie  # plain http on loopback
    token = c.cookies["fw_session"]
    me = c.get("/api/me").json()
    assert me["user"] == {"name": "ana", "role": "analyst"} and me["read_only"] is False and me["csrf"]
    page = c.get("/").text
    assert f'<meta name="csrf-token" content="{me["csrf"]}">' in page
    store = Store(url)
    with store.read() as s:  # only hashes are stored: neither the token nor the password
        assert token not in {w.token_hash for w in s.scalars(select(WebSessionRow))}
        assert all(u.password_hash.startswith("$argon2id$") for u in s.scalars(select(UserRow)))
    assert c.post("/logout").status_code == 403  # a post without its CSRF token
    r = c.post("/logout", data={"csrf_token": me["csrf"]})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    replay = client(url)
    replay.cookies.set("fw_session", token)
    assert replay.get("/api/me").json()["user"] is None and replay.get("/api/claims").status_code == 401
    with store.write() as s:
        assert s.scalar(select(WebSessionRow.id)) is None


def test_login_redirects_only_within_the_site(url: str) -> None:
    c = client(url)
    r = c.get("/entities/5?x=1")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fentities%2F5%3Fx%3D1"
    good = c.post("/login", data={"username": "vic", "password": PASSWORD, "next": "/entities/5"})
    assert good.headers["location"] == "/entities/5"
    for bad in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        r = client(url).post("/login", data={"username": "vic", "password": PASSWORD, "next": bad})
        assert r.headers["location"] == "/", bad


def test_expired_session_is_refused(url: str) -> None:
    c = client(url)
    login(c, "vic")
    with Store(url).write() as s:
        s.execute(update(WebSessionRow).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert c.get("/api/me").json()["user"] is None and c.get("/api/search?q=x").status_code == 401


def test_cross_site_login_is_refused(url: str) -> None:
    c = client(url)
    form = {"username": "ana", "password": PASSWORD}
    assert c.post("/login", data=form, headers={"Origin": "https://evil.example"}).status_code == 403
    assert c.post("/login", data=form, headers={"Origin": "null"}).status_code == 403
    assert c.post("/login", data=form, headers={"Origin": "http://testserver"}).status_code == 303


def test_login_rate_limit(url: str) -> None:
    c = client(url)
    for _ in range(10):
        assert c.post("/login", data={"username": "ana", "password": "wrong password"}).status_code == 401
    r = c.post("/login", data={"username": "ana", "password": PASSWORD})
    assert r.status_code == 429 and "too many" in r.text
    assert c.post("/login", data={"username": "ANA", "password": PASSWORD}).status_code == 429
    assert c.post("/login", data={"username": "vic", "password": PASSWORD}).status_code == 303


# --- roles and CSRF ---------------------------------------------------------------------------------

def test_anonymous_needs_a_login_once_users_exist(url: str) -> None:
    c = client(url)
    assert c.get("/api/me").status_code == 200 and c.get("/api/health").status_code == 200
    assert c.get("/login").status_code == 200
    for path in ("/api/search?q=china", "/api/entities", "/api/claims", "/api/documents/1", "/api/places",
                 "/api/timeline", "/api/graph/network", "/api/export?format=csv", "/api/audit"):
        assert c.get(path).status_code == 401, path
    for path in ("/", "/entities/5", "/documents/1", "/graph", "/review", "/map", "/timeline", "/screen"):
        assert c.get(path).headers["location"].startswith("/login?next="), path
    for path, body in WRITES:
        assert c.post(path, json=body).status_code == 401, path


def test_viewer_reads_but_cannot_write(url: str) -> None:
    c = client(url)
    csrf = login(c, "vic")
    assert c.get("/api/claims").status_code == 200 and c.get("/review").status_code == 200
    for path, body in WRITES:
        r = c.post(path, json=body, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 403 and "analyst" in r.json()["detail"], path


def test_csrf_is_required_for_writes(url: str) -> None:
    c = client(url)
    csrf = login(c, "ana")
    for path, body in WRITES:
        assert c.post(path, json=body).status_code == 403, path
        assert c.post(path, json=body, headers={"X-CSRF-Token": csrf[:-1] + "x"}).status_code == 403
    r = c.post("/api/claims/1/review", json={"status": "accepted"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    other = client(url)  # another session's token is no good here
    assert c.post("/api/claims/1/review", json={"status": "pending"},
                  headers={"X-CSRF-Token": login(other, "root")}).status_code == 403


def test_admin_may_do_what_an_analyst_does(url: str) -> None:
    c = client(url)
    csrf = login(c, "root")
    r = c.post("/api/claims/1/review", json={"status": "rejected"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["reviewed_by"] == "root"


# --- headers, hosts, hostile text ---------------------------------------------------------------------

def test_security_headers_everywhere(url: str) -> None:
    c = client(url)
    login(c, "vic")
    for path in ("/api/me", "/api/claims", "/", "/documents/1", "/login", "/docs", "/openapi.json",
                 "/api/nothing", "/api/claims?limit=0", "/static/app.css", "/api/export?format=csv"):
        assert_headers(c.get(path))
    assert_headers(c.post("/login", data={"username": "x", "password": "y"}))


def test_host_header_is_checked_on_loopback(url: str) -> None:
    c = TestClient(__import__("frontwatch.web.app", fromlist=["create_app"]).create_app(
        url, allowed_hosts=["127.0.0.1", "localhost", "::1"]))
    assert c.get("/api/health", headers={"Host": "localhost:8000"}).status_code == 200
    assert c.get("/api/health", headers={"Host": "[::1]:8000"}).status_code == 200
    r = c.get("/api/health", headers={"Host": "attacker.example"})
    assert r.status_code == 400
    assert_headers(r)


def test_hostile_text_is_data_not_markup(example_store_url: str, tmp_path: Path, pipeline: object) -> None:
    from frontwatch.store.ingest import ingest

    url = copy_store(example_store_url, tmp_path)
    doc = Document(id="hostile", title=f"{HOSTILE} <img src=x onerror=alert(1)>", url="javascript:alert(1)",
                   text=("The Canadian Security Intelligence Service said the Chinese Consulate in Toronto "
                         f"funded Wen Bo in 2022. {HOSTILE} <a href=\"javascript:alert(1)\">click</a> "
                         "<img src=x onerror=alert(1)>"))
    store = Store(url)
    assert ingest(store, [doc]).new == ["hostile"]
    store.close()
    c = client(url)
    doc_id = max(d["id"] for d in c.get("/api/search", params={"q": "alert"}).json()["documents"])
    page = c.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    data = c.get(f"/api/documents/{doc_id}").json()
    assert data["title"].startswith(HOSTILE) and data["url"] == "javascript:alert(1)"
    assert HOSTILE in data["text"]
    assert c.get(f"/api/documents/{doc_id}").headers["content-type"] == "application/json"
    for path in ("/", "/graph?entity=1", "/review", "/login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"):
        assert "<script>alert" not in c.get(path).text


def test_built_in_page_shells_escape_and_carry_the_token() -> None:
    """Until the pages' templates exist, the built-in shells stand in, with the same context."""
    import jinja2

    from frontwatch.web.routers.pages import FALLBACK_TEMPLATES, NAV, PAGES

    env = jinja2.Environment(loader=jinja2.DictLoader(FALLBACK_TEMPLATES), autoescape=True)
    for name in [*PAGES, "error.html", "api_docs.html"]:
        html = env.get_template(name).render(
            layout="_fallback_base.html", csrf_token="tok", user={"name": HOSTILE, "role": "viewer"},
            read_only=False, nav=NAV, page=name, title=HOSTILE, error=HOSTILE, message=HOSTILE, next=None,
            operations=[{"method": "GET", "path": HOSTILE, "summary": "", "description": "", "params": []}])
        assert '<meta name="csrf-token" content="tok">' in html and "<script>alert" not in html, name
    login_form = env.get_template("login.html").render(layout="_fallback_base.html", csrf_token="tok",
                                                       nav=NAV)
    assert 'name="csrf_token" value="tok"' in login_form and 'action="/login"' in login_form


# --- the command line ---------------------------------------------------------------------------------

def fw(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwatch", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_users_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "fw.db")
    missing = fw("users", "list", "--db", db)  # only `users add` (and ingest, import) create a store
    assert missing.returncode == 1 and "no store at" in missing.stderr and not Path(db).exists()
    Store(db).close()
    assert fw("users", "list", "--db", db).stdout.strip() == "no users: the workbench is read-only"
    done = fw("users", "add", "ana", "--role", "analyst", "--password-stdin", "--db", db,
              stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert fw("users", "add", "ana", "--password-stdin", "--db", db, stdin=PASSWORD + "\n").returncode == 1
    assert fw("users", "add", "bob", "--role", "boss", "--password-stdin", "--db", db,
              stdin=PASSWORD + "\n").returncode == 2
    short = fw("users", "add", "bob", "--password-stdin", "--db", db, stdin="short\n")
    assert short.returncode == 2 and "at least 8" in short.stderr
    bad = fw("users", "add", "bad name", "--password-stdin", "--db", db, stdin=PASSWORD + "\n")
    assert bad.returncode == 2
    listed = fw("users", "list", "--db", db).stdout
    assert listed.split()[:2] == ["ana", "analyst"]


def test_serve_refuses_a_public_host_without_users(tmp_path: Path) -> None:
    Store(str(tmp_path / "fw.db")).close()
    done = fw("serve", "--db", str(tmp_path / "fw.db"), "--host", "0.0.0.0")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no users" in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    db, port = str(tmp_path / "fw.db"), _free_port()
    Store(db).close()
    proc = subprocess.Popen([sys.executable, "-m", "frontwatch", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("frontwatch: serving sqlite:///") and line.endswith(
            f"at http://127.0.0.1:{port}/ (read-only: no users)")
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert r.json() == {"ok": True, "documents": 0}
        assert_headers(r)
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", headers={"Host": "evil.example"},
                         timeout=5).status_code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=30)
