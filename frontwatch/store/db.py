"""Opening a store: engine, migrations and transactions with retry.

SQLite (the default, ``./frontwatch.db``) runs in WAL mode and takes its write lock at the start of
each transaction, so two ingest processes queue instead of failing; PostgreSQL serialises the writers
of one store with a transaction-level advisory lock. Either way one document is one transaction.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import StoreError

DEFAULT_URL = "sqlite:///frontwatch.db"
WRITE_LOCK = 781_340_221  # PostgreSQL advisory lock key for frontwatch writers
T = TypeVar("T")


def resolve_url(url: str | None) -> str:
    """--db, then FRONTWATCH_DB, then ./frontwatch.db; a bare path means a SQLite file."""
    url = url or os.environ.get("FRONTWATCH_DB") or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def sqlite_path(url: str | None) -> Path | None:
    """The file of a SQLite store (--db as given to `resolve_url`); None for another database, an
    in-memory store or a URL that does not parse."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(resolve_url(url))
    except (SQLAlchemyError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


class Store:
    """A connection to one evidence store."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        try:
            self.engine = self._engine()
            self.migrate()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {self.display_url}: {_short(exc)}") from exc
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        """The URL without a password."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    def _engine(self) -> Engine:
        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True)
        engine = create_engine(self.url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # type: ignore[no-untyped-def]
            # writers take the lock up front (no upgrade deadlocks); readers don't queue behind them
            read = conn.get_execution_options().get("frontwatch_read")
            conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

        return engine

    def migrate(self) -> None:
        """Bring the schema to the newest migration (safe when several processes start at once)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("frontwatch.store") / "migrations"))
        with self._migration_lock(), self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if not self.is_sqlite or self.url in ("sqlite://", "sqlite:///:memory:"):
            yield
            return
        path = Path(self.url.split("///", 1)[1] + ".lock")
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            if not self.is_sqlite:
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; on SQLite it does not wait for writers (WAL)."""
        with self.sessions() as session:
            if self.is_sqlite:
                session.connection(execution_options={"frontwatch_read": True})
            yield session

    def retry(self, work: Callable[[Session], T], attempts: int = 8,
              on_rollback: Callable[[], None] | None = None) -> T:
        """Run `work` in a write transaction, retrying when the database is busy or a writer raced us.
        Any database error ends as a StoreError; the transaction is rolled back, nothing half-stored."""
        for attempt in range(attempts):
            try:
                with self.write() as session:
                    return work(session)
            except SQLAlchemyError as exc:
                if on_rollback is not None:
                    on_rollback()
                transient = isinstance(exc, OperationalError) and _transient(exc)
                if attempt == attempts - 1 or not transient:
                    raise StoreError(f"store {self.display_url}: {_short(exc)}") from exc
                time.sleep(0.05 * 2 ** attempt)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()


def _transient(exc: OperationalError) -> bool:
    msg = str(exc.orig).lower()
    return "locked" in msg or "busy" in msg or "deadlock" in msg or "could not serialize" in msg


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0]
