"""A real, throwaway PostgreSQL server for the tests (no mocks).

``start_server`` runs ``initdb`` and ``pg_ctl`` from the newest ``/usr/lib/postgresql/*/bin`` on a
fresh temporary directory: the server listens only on 127.0.0.1 on a free port, keeps its Unix
socket inside that directory, trusts local connections and trades durability for speed (fsync off).
initdb refuses to run as root, so as root both run as the ``postgres`` system user.

``create_database`` / ``drop_database`` give each test its own database on any server, the throwaway
one or the one named by ``FRONTWATCH_TEST_PG_URL``.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

ENV_URL = "FRONTWATCH_TEST_PG_URL"
TEST_DB = "frontwatch_test"
SUPERUSER = "postgres"
PG_ROOT = Path("/usr/lib/postgresql")
# Durability off: a crashed test server is thrown away anyway.  -F is fsync=off for the postmaster.
SPEED_OPTIONS = "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
START_TIMEOUT_S = 60
_VERSION = re.compile(r"^\d+(\.\d+)*$")


class PgUnavailable(Exception):
    """PostgreSQL is not installed here (the fixture turns this into a skip)."""


class PgStartError(RuntimeError):
    """PostgreSQL is installed but the throwaway server could not be set up (a real failure)."""


def find_bindir(root: Path | None = None) -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has both initdb and pg_ctl."""
    root = PG_ROOT if root is None else root
    found: list[tuple[tuple[int, ...], Path]] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return None
    for entry in entries:
        if not _VERSION.match(entry.name):
            continue
        bindir = entry / "bin"
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            found.append((tuple(int(p) for p in entry.name.split(".")), bindir))
    return max(found)[1] if found else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_sqlalchemy_url(url: str | URL) -> URL:
    """``url`` as a SQLAlchemy URL that uses psycopg 3 (a bare ``postgresql://`` would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _admin_execute(url: str | URL, *statements: str) -> None:
    """Run statements outside a transaction (CREATE/DROP DATABASE need that)."""
    engine = create_engine(pg_sqlalchemy_url(url), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def create_database(server_url: str | URL, prefix: str = "fw_") -> str:
    """Create an empty database next to the one ``server_url`` names; return its URL as a string."""
    name = f"{prefix}{uuid.uuid4().hex}"
    _admin_execute(server_url, f'CREATE DATABASE "{name}"')
    return pg_sqlalchemy_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str | URL, name: str) -> None:
    """Drop ``name`` even if a test left connections open (FORCE, PostgreSQL 13+)."""
    _admin_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class PgServer:
    """A running throwaway cluster; ``stop()`` ends it and deletes its directory."""

    bindir: Path
    tmp: Path
    port: int
    run_as: list[str] = field(default_factory=list)  # ["runuser", "-u", "postgres", "--"] as root
    stopped: bool = False

    @property
    def datadir(self) -> Path:
        return self.tmp / "data"

    @property
    def logfile(self) -> Path:
        return self.tmp / "server.log"

    def url(self, database: str = TEST_DB) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        try:
            subprocess.run(
                [*self.run_as, str(self.bindir / "pg_ctl"), "stop", "-D", str(self.datadir),
                 "-m", "immediate", "-w", "-t", "30"],
                cwd=self.tmp, capture_output=True, timeout=60, check=False,
            )
        except (OSError, subprocess.SubprocessError):
            pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _run(cmd: list[str], cwd: Path, what: str, log: Path | None = None) -> None:
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=START_TIMEOUT_S + 30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PgStartError(f"{what} failed: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()
        if log is not None:
            detail += "\n--- server log ---\n" + _log_tail(log)
        raise PgStartError(f"{what} failed (exit {proc.returncode}):\n{detail}")


def _make_tmp(run_as: list[str]) -> Path:
    """A private temp dir that the server's user owns (and can reach: $TMPDIR may not be)."""
    tmp = Path(tempfile.mkdtemp(prefix="frontwatch-pg-"))
    if not run_as:
        return tmp
    user = pwd.getpwnam(SUPERUSER)
    os.chown(tmp, user.pw_uid, user.pw_gid)
    if subprocess.run([*run_as, "test", "-w", str(tmp)], capture_output=True, check=False).returncode == 0:
        return tmp
    shutil.rmtree(tmp, ignore_errors=True)  # a $TMPDIR under /root: fall back to /tmp
    tmp = Path(tempfile.mkdtemp(prefix="frontwatch-pg-", dir="/tmp"))
    os.chown(tmp, user.pw_uid, user.pw_gid)
    return tmp


def start_server(attempts: int = 3) -> PgServer:
    """initdb + pg_ctl start on a fresh directory, then CREATE DATABASE frontwatch_test.

    Raises :class:`PgUnavailable` if PostgreSQL is not installed, :class:`PgStartError` if it is
    but the server does not come up.
    """
    bindir = find_bindir()
    if bindir is None:
        raise PgUnavailable(f"no initdb/pg_ctl under {PG_ROOT}/*/bin")
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb: "cannot be run as root"
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise PgStartError(f"running as root but there is no '{SUPERUSER}' system user") from None
        run_as = ["runuser", "-u", SUPERUSER, "--"]

    tmp = _make_tmp(run_as)
    server = PgServer(bindir=bindir, tmp=tmp, port=0, run_as=run_as)
    atexit.register(server.stop)  # a crashed session must not leave a server behind
    try:
        _run([*run_as, str(bindir / "initdb"), "-D", str(server.datadir), "-U", SUPERUSER,
              "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"],
             tmp, "initdb")
        sockdir = tmp / "sock"
        _run([*run_as, "mkdir", "-m", "700", str(sockdir)], tmp, "mkdir socket dir")
        for attempt in range(attempts):
            # A free port can be taken between free_port() and the bind: then try another.
            server.port = free_port()
            options = (f"{SPEED_OPTIONS} -c listen_addresses=127.0.0.1 -p {server.port} "
                       f"-k {sockdir}")
            try:
                _run([*run_as, str(bindir / "pg_ctl"), "start", "-D", str(server.datadir),
                      "-l", str(server.logfile), "-w", "-t", str(START_TIMEOUT_S), "-o", options],
                     tmp, "pg_ctl start", log=server.logfile)
                break
            except PgStartError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2)
        _admin_execute(server.url("postgres"), f'CREATE DATABASE "{TEST_DB}"')
    except BaseException:
        server.stop()
        raise
    return server
