"""Opening a store: engine, migrations and transactions with retry.

SQLite (the default, ``./frontwatch.db``) runs in WAL mode and takes its write lock at the start of
each transaction, so two ingest processes queue instead of failing; PostgreSQL serialises the writers
of one store with a transaction-level advisory lock. Either way one document is one transaction.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import StoreError

DEFAULT_URL = "sqlite:///frontwatch.db"
BACKENDS = ("sqlite", "postgresql")
# a database holding these tables is a frontwatch store; one with other tables is not ours to change
STORE_TABLES = frozenset({"alembic_version", "documents", "entities", "claims", "evidence"})
CREATED_BY = "`frontwatch ingest`, `frontwatch import` or `frontwatch users add` creates one"
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

    def __init__(self, url: str | None = None, create: bool = True) -> None:
        """Open (and migrate) the store at `url`. With `create=False` a store that does not exist yet is
        an error instead of being created; a database that is not a frontwatch store (other tables), a
        corrupted file, a missing folder or a schema revision this version does not know always is."""
        self.url = resolve_url(url)
        self.create = create
        self.is_sqlite = self.url.startswith("sqlite")
        try:
            self._check_url()
            if self.is_sqlite:
                self._check_sqlite_file()
            self.engine = self._engine()
            self.migrate()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open store {self.display_url}: {_short(exc)}") from exc
        except CommandError as exc:  # alembic: e.g. a revision it cannot locate
            raise StoreError(f"cannot open store {self.display_url}: {_short(exc)}") from exc
        except ImportError as exc:  # a database driver that is not installed
            raise StoreError(f"cannot open store {self.display_url}: no driver ({exc})") from exc
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def display_url(self) -> str:
        """The URL without a password."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except (SQLAlchemyError, ValueError):
            return self.url.split("://", 1)[0] + "://..."

    def _check_url(self) -> None:
        from sqlalchemy.engine import make_url

        backend = make_url(self.url).get_backend_name()
        if backend not in BACKENDS:
            raise StoreError(f"cannot open store {self.display_url}: unsupported URL scheme '{backend}' "
                             "(a SQLite path, sqlite:///FILE or postgresql://USER@HOST/DB)")

    def _check_sqlite_file(self) -> None:
        """Before SQLAlchemy connects (and switches the file to WAL): the folder exists, the file is a
        SQLite database and holds a frontwatch store, or nothing yet and we may create one."""
        path = sqlite_path(self.url)
        if path is None:
            return
        if not path.parent.is_dir():
            raise StoreError(f"cannot open store {path}: the folder {path.parent} does not exist")
        if path.is_dir():
            raise StoreError(f"cannot open store {path}: it is a folder")
        if not path.exists():
            if self.create:
                return
            raise StoreError(f"no store at {path}: {CREATED_BY}")
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
            try:
                tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                version = None
                if "alembic_version" in tables:
                    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                    version = row[0] if row else None
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        self._check_schema(tables, version, str(path))

    def _check_schema(self, tables: set[str], version: str | None, where: str) -> None:
        """A frontwatch store at a revision we know; or an empty database when we may create one."""
        if not tables:
            if not self.create:
                raise StoreError(f"no store at {where}: the database is empty ({CREATED_BY})")
            return
        if not STORE_TABLES <= tables:
            raise StoreError(f"{where} is not a frontwatch store (it holds other tables); refusing to "
                             "change it")
        if version is not None and version not in _revisions():
            raise StoreError(f"cannot open store {where}: its schema revision '{version}' is unknown to this "
                             "version of frontwatch (was it made by a newer one?)")

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
        cfg = migration_config()
        with self._migration_lock(), self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                self._check_schema(*_schema(conn), self.display_url)
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


def migration_config() -> Config:
    """Alembic's configuration for frontwatch's migrations (run on a connection given in attributes)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("frontwatch.store") / "migrations"))
    return cfg


def _revisions() -> set[str]:
    """The schema revisions this version of frontwatch knows."""
    return {script.revision for script in ScriptDirectory.from_config(migration_config()).walk_revisions()}


def _schema(conn: Connection) -> tuple[set[str], str | None]:
    """The tables of a database and its Alembic revision (None when it has none)."""
    tables = set(inspect(conn).get_table_names())
    version = None
    if "alembic_version" in tables:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return tables, version


def short_error(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's wrapping."""
    return _short(exc)


def _transient(exc: OperationalError) -> bool:
    msg = str(exc.orig).lower()
    return "locked" in msg or "busy" in msg or "deadlock" in msg or "could not serialize" in msg


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0]
