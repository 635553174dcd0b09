"""The server holds up (issue 13, items 13-16): with no users only loopback clients get in, whatever the
bind address or Host header; request bodies and screenings are bounded; proxy headers are believed only
from configured proxies and one address cannot lock every user out; the API reference needs a login."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from web_helpers import PASSWORD, add_users, client, copy_store, login

from frontwatch.store.db import Store
from frontwatch.store.schema import UserRow, WebSessionRow
from frontwatch.web.app import INTERNAL_ERROR, MAX_BODY, create_app
from frontwatch.web.security import LoginLimiter

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def url(example_store_url: str, tmp_path: Path) -> str:
    copy = copy_store(example_store_url, tmp_path)
    add_users(copy)
    return copy


def _at(app: object, host: str) -> TestClient:
    return TestClient(app, client=(host, 40000), follow_redirects=False)  # type: ignore[arg-type]


# --- 13: no users means loopback clients only -------------------------------------------------------

def test_removing_the_last_user_leaves_only_loopback_clients(url: str) -> None:
    app = create_app(url)  # as `serve --host 0.0.0.0` builds it: no Host check
    remote, local = _at(app, "192.0.2.7"), _at(app, "127.0.0.1")
    evil = {"Host": "evil.example"}
    assert remote.get("/api/export?format=csv", headers=evil).status_code == 401
    with Store(url).write() as s:  # `frontwatch users remove` of every user while serving
        s.execute(delete(WebSessionRow))
        s.execute(delete(UserRow))
    for path in ("/api/export?format=csv", "/api/claims", "/api/me", "/api/health", "/", "/docs",
                 "/openapi.json", "/entities/1"):
        r = remote.get(path, headers=evil)
        assert r.status_code == 403 and "loopback" in r.json()["detail"], path
    assert remote.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 403
    for host in ("127.0.0.1", "::1", "::ffff:127.0.0.1", "127.8.9.10"):
        assert _at(app, host).get("/api/claims", headers=evil).status_code == 200, host
    for host in ("10.0.0.1", "::ffff:192.0.2.7", "2001:db8::1", "testclient", ""):
        assert _at(app, host).get("/api/health").status_code == 403, host
    assert local.get("/api/export?format=csv").status_code == 200


# --- 14: bounded bodies and screenings --------------------------------------------------------------

def test_large_bodies_are_refused_before_they_are_read(url: str) -> None:
    c = client(url)  # not logged in: the size is checked before anything else
    big = b"x" * (MAX_BODY + 1)
    r = c.post("/api/claims/1/review", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "request body" in r.json()["detail"]
    assert r.headers["x-content-type-options"] == "nosniff"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(MAX_BODY // 65536 + 2):
            yield b"y" * 65536

    r = c.post("/api/screen", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    r = c.post("/login", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    assert c.post("/api/claims/1/review", json={"status": "accepted"}).status_code == 401  # small: as before


def test_screen_input_and_time_are_bounded(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import frontwatch.screen
    from frontwatch.web.routers import screen as screen_router

    c = client(url)
    csrf = login(c, "vic")
    headers = {"X-CSRF-Token": csrf}
    r = c.post("/api/screen", json={"text": "A: hi\n" * 20_000}, headers=headers)  # 120,000 characters
    assert r.status_code == 422 and "text" in r.json()["detail"]

    def slow(text: str, fmt: str = "text", country: str | None = None) -> dict[str, str]:
        time.sleep(1.0)
        return {"level": "none"}

    monkeypatch.setattr(frontwatch.screen, "screen_text", slow)
    monkeypatch.setattr(screen_router, "SCREEN_SECONDS", 0.1)
    started = time.monotonic()
    r = c.post("/api/screen", json={"text": "A: hi"}, headers=headers)
    assert r.status_code == 503 and "seconds" in r.json()["detail"]
    assert time.monotonic() - started < 0.9
    time.sleep(1.0)  # the slot is free again once the thread is done
    monkeypatch.setattr(screen_router, "SCREEN_SECONDS", 5.0)
    assert c.post("/api/screen", json={"text": "A: hi"}, headers=headers).json() == {"level": "none"}


# --- 15: login rate limit ---------------------------------------------------------------------------

def test_one_address_cannot_lock_every_user_out(url: str) -> None:
    app = create_app(url)
    attacker, ana = _at(app, "192.0.2.66"), _at(app, "192.0.2.10")
    for name in ("ana", "vic", "root"):
        for _ in range(10):
            assert attacker.post("/login", data={"username": name, "password": "wrong password"}
                                 ).status_code == 401
    assert attacker.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 429
    assert ana.post("/login", data={"username": "ana", "password": PASSWORD}).status_code == 303
    assert _at(app, "192.0.2.11").post("/login", data={"username": "root", "password": PASSWORD}
                                       ).status_code == 303


def test_many_addresses_together_still_lock_a_name() -> None:
    limiter = LoginLimiter(attempts=2, spread=3)
    for n in range(6):
        assert not limiter.blocked("ana", f"10.0.0.{n}")
        limiter.failed("ana", f"10.0.0.{n}")
    assert limiter.blocked("ana", "10.0.0.99") and not limiter.blocked("vic", "10.0.0.99")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: str, *extra: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "frontwatch", "serve", "--db", db, "--port", str(port),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", "FORWARDED_ALLOW_IPS": "*"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/api/health", timeout=5)
            return proc, base
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(proc.stderr.read() if proc.stderr else "serve did not start") from None
            time.sleep(0.2)


def test_forwarded_for_is_ignored_unless_configured(url: str) -> None:
    db = url.split("///", 1)[1]
    proc, base = _serve(db)
    try:
        codes = []
        with httpx.Client(base_url=base, timeout=30) as c:
            for n in range(31):  # 30 failures from one client (whatever it claims to forward) block it
                codes.append(c.post("/login", data={"username": f"nobody{n}", "password": "wrong password"},
                                    headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code)
        assert codes == [401] * 30 + [429]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    proc, base = _serve(db, "--forwarded-allow-ips", "127.0.0.1")
    try:
        with httpx.Client(base_url=base, timeout=30) as c:  # behind a configured proxy: its clients count
            for n in range(31):
                assert c.post("/login", data={"username": f"nobody{n}", "password": "wrong password"},
                              headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- 16: the API reference needs a login ------------------------------------------------------------

def test_api_reference_needs_a_login_once_users_exist(url: str) -> None:
    c = client(url)
    assert c.get("/openapi.json").status_code == 401
    docs = c.get("/docs")
    assert docs.status_code == 303 and docs.headers["location"] == "/login?next=%2Fdocs"
    login(c, "vic")
    assert "/api/claims" in c.get("/openapi.json").json()["paths"]
    assert c.get("/docs").status_code == 200


# --- 16: SIGINT during ingest or extract says what was done and leaves no partial file ---------------

def _documents(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i:04d}.txt").write_text(
            f"Report {i}. The Canadian Security Intelligence Service said the Chinese Consulate in Toronto "
            f"funded Person{i} Example in 2022.\n", encoding="utf-8")
    return folder


def _interrupt_when(proc: subprocess.Popen[str], ready: object, limit: float = 120) -> tuple[str, int]:
    deadline = time.monotonic() + limit
    while not ready():  # type: ignore[operator]
        assert proc.poll() is None, proc.communicate()
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the run never got going")
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    return stderr, proc.returncode


def test_interrupted_extract_leaves_the_out_file_as_it_was(tmp_path: Path) -> None:
    docs = _documents(tmp_path / "docs", 3000)
    out = tmp_path / "out.jsonl"
    out.write_text("earlier results\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "frontwatch", "extract", str(docs), "--out", str(out),
                             "--claims", "v1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def writing() -> bool:
        try:
            return any(p.stat().st_size > 0 for p in tmp_path.glob(".out.jsonl.*.part"))
        except FileNotFoundError:
            return False

    stderr, code = _interrupt_when(proc, writing)
    assert code == 130 and "Traceback" not in stderr
    assert "frontwatch: interrupted after" in stderr and f"{out} left unchanged" in stderr
    assert out.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out.jsonl"]  # no partial file left


def test_interrupted_ingest_says_what_is_stored(tmp_path: Path) -> None:
    import sqlite3

    docs = _documents(tmp_path / "docs", 3000)
    db = tmp_path / "fw.db"
    proc = subprocess.Popen([sys.executable, "-m", "frontwatch", "ingest", str(docs), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stored() -> int:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                return int(con.execute("select count(*) from documents").fetchone()[0])
        except sqlite3.Error:
            return 0

    stderr, code = _interrupt_when(proc, lambda: stored() >= 2)
    assert code == 130 and "Traceback" not in stderr, stderr
    line = next(ln for ln in stderr.splitlines() if "interrupted" in ln)
    assert line.startswith("frontwatch: interrupted after ") and "of 3000 documents" in line
    assert "new" in line and "run the same command again" in line
    assert 2 <= stored() < 3000


# --- 12: every API error is JSON: nesting, huge ids, surrogates, a broken store, a bug -----------------

@pytest.fixture
def small_url(tmp_path: Path) -> str:
    """A store with users and one imported claim (no extraction: fast)."""
    from frontwatch.importers import stix
    from frontwatch.store.ingest import store_extractions

    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"type": "bundle", "id": "bundle--1", "objects": [
        {"type": "identity", "id": "identity--a", "name": "CSIS"},
        {"type": "identity", "id": "identity--b", "name": "Wang Xiaoming", "identity_class": "individual"},
        {"type": "relationship", "id": "relationship--1", "relationship_type": "targets",
         "source_ref": "identity--b", "target_ref": "identity--a", "description": "Wang targeted CSIS."}]}))
    url = f"sqlite:///{tmp_path / 'small.db'}"
    store = Store(url)
    assert store_extractions(store, stix.read(bundle)).processed == 1
    store.close()
    add_users(url)
    return url


DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "99999999999999999999999"
CHAT = '{"text": "[{\\"sender\\": \\"Li\\", \\"text\\": \\"x\\ud800\\"}]", "format": "json"}'


@pytest.mark.parametrize("method, path, body, status", [
    ("post", "/api/screen", DEEP, 400),
    ("post", "/api/screen", '{"text": ' + DEEP + "}", 400),
    ("post", "/api/entities/merge", '{"keep": 1, "gone": ' + DEEP + "}", 400),
    ("post", "/api/screen", '{"text": "Li: meet me \\ud800 tonight", "format": "text"}', 422),
    ("post", "/api/screen", CHAT, 422),
    ("post", "/api/entities/merge", f'{{"keep": 1, "gone": {HUGE}}}', 422),
    ("post", f"/api/claims/{HUGE}/review", '{"status": "accepted"}', 422),
    ("post", f"/api/audit/{HUGE}/undo", None, 422),
    ("get", f"/api/claims/{HUGE}", None, 422),
    ("get", f"/api/entities/{HUGE}", None, 422),
    ("get", f"/api/documents/{HUGE}", None, 422),
    ("get", f"/api/graph/neighbors/{HUGE}", None, 422),
    ("get", f"/api/claims?limit={HUGE}", None, 422),
], ids=["deep-body", "deep-text", "deep-merge", "surrogate", "surrogate-json", "huge-merge", "huge-review",
        "huge-undo", "huge-claim", "huge-entity", "huge-document", "huge-neighbors", "huge-limit"])
def test_hostile_requests_get_a_json_4xx(small_url: str, method: str, path: str, body: str | None,
                                         status: int) -> None:
    c = client(small_url)
    headers = {"X-CSRF-Token": login(c, "ana"), "Content-Type": "application/json"}
    r = c.request(method.upper(), path, content=body, headers=headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json" and set(r.json()) == {"detail"}


def test_a_broken_store_and_a_bug_are_json_errors(small_url: str, caplog: pytest.LogCaptureFixture) -> None:
    import sqlite3

    app = create_app(small_url)

    def boom() -> None:  # stands for any bug nothing else handles
        raise ZeroDivisionError("a bug")

    app.add_api_route("/api/boom", boom)
    c = TestClient(app, raise_server_exceptions=False, client=("127.0.0.1", 50000), follow_redirects=False)
    login(c, "vic")
    assert c.get("/api/claims").status_code == 200
    r = c.get("/api/boom")
    assert r.status_code == 500 and r.json() == {"detail": INTERNAL_ERROR}
    assert r.headers["x-content-type-options"] == "nosniff"  # inside the security headers
    assert "ZeroDivisionError: a bug" in caplog.text  # the traceback is in the server's log
    with sqlite3.connect(small_url.split("///", 1)[1]) as con:  # the store breaks while serving
        con.execute("DROP TABLE evidence")
    r = c.get("/api/claims")
    assert r.status_code == 503 and r.json()["detail"] == "store error: no such table: evidence"
