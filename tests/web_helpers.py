"""Helpers for the web tests: writable copies of the example store, users, logged-in clients."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from frontwatch.store.db import Store
from frontwatch.web.app import create_app
from frontwatch.web.security import add_user

PASSWORD = "correct horse battery"
USERS = {"ana": "analyst", "vic": "viewer", "root": "admin"}


def copy_store(url: str, folder: Path) -> str:
    """A private copy of a SQLite store (the backup API also takes what is still in the WAL)."""
    source = url.split("///", 1)[1]
    target = folder / "copy.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


def add_users(url: str) -> None:
    store = Store(url)
    for name, role in USERS.items():
        store.retry(lambda s, n=name, r=role: add_user(s, n, PASSWORD, r).id)
    store.close()


def client(url: str, **kwargs: object) -> TestClient:
    return TestClient(create_app(url, **kwargs), follow_redirects=False,  # type: ignore[arg-type]
                      client=("127.0.0.1", 50000))  # a loopback client, as a browser on the same machine


def login(c: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in; returns the session's CSRF token."""
    r = c.post("/login", data={"username": name, "password": password})
    assert r.status_code == 303, r.text
    me = c.get("/api/me").json()
    assert me["user"]["name"] == name
    return str(me["csrf"])
