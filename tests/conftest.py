"""Shared fixtures: the spaCy pipeline is loaded at most once per test session (~2 s); a PostgreSQL
server is started at most once per session, and only when a test asks for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

    from frontwatch.graph.network import Network


@pytest.fixture(scope="session")
def pipeline() -> Language:
    """The full frontwatch pipeline.  `load_pipeline` caches it per process, so every test that goes
    through the Python API (extract_documents, extract_one) after this fixture reuses the same one."""
    from frontwatch.pipeline import load_pipeline

    return load_pipeline()


# --- PostgreSQL: a real server, no mocks (see tests/pg.py) ---------------------------------------

@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A SQLAlchemy URL of a PostgreSQL database for this session.

    ``FRONTWATCH_TEST_PG_URL`` if set (used as is, with the driver made psycopg 3); otherwise a
    throwaway server started from the installed PostgreSQL and stopped at session end.  Skips when
    neither is available; .ci/run installs PostgreSQL, so CI always runs these tests.
    """
    import pg

    given = os.environ.get(pg.ENV_URL)
    if given:
        yield pg.pg_sqlalchemy_url(given).render_as_string(hide_password=False)
        return
    try:
        server = pg.start_server()
    except pg.PgUnavailable as exc:
        pytest.skip(f"PostgreSQL is not installed ({exc}) and {pg.ENV_URL} is not set; "
                    "install the 'postgresql' package (.ci/run does) or point the variable at a server")
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture
def pg_empty_url(pg_url: str) -> Iterator[str]:
    """A fresh, empty database (fw_<uuid hex>) on the session's server, dropped after the test."""
    import pg
    from sqlalchemy.engine import make_url

    url = pg.create_database(pg_url)
    try:
        yield url
    finally:
        pg.drop_database(pg_url, str(make_url(url).database))


@pytest.fixture(scope="session")
def example_store_url(tmp_path_factory: pytest.TempPathFactory, pipeline: Language) -> str:
    """A SQLite store holding the bundled example corpus (ingested once per test session)."""
    from pathlib import Path

    from frontwatch.sources import iter_documents
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('examples') / 'examples.db'}"
    store = Store(url)
    corpus = Path(__file__).resolve().parents[1] / "examples" / "corpus"
    report = ingest(store, iter_documents([corpus]))
    assert not report.failed and len(report.new) == 10
    store.close()
    return url


@pytest.fixture(scope="session")
def example_network(example_store_url: str) -> Network:
    """The whole network of the example corpus, no filters."""
    from frontwatch.graph.network import load_network
    from frontwatch.store.db import Store

    with Store(example_store_url).read() as session:
        return load_network(session)


# --- What this machine lacks: named before the run, counted after it (never a silent skip) ---------------

INSTALL = "apt-get install -y"
SKIP_CAUSES = [  # (words in a skip reason, what is missing, how to get it)
    ("Chromium", "Chromium", f"{INSTALL} chromium"),
    ("PostgreSQL", "PostgreSQL", f"{INSTALL} postgresql"),
    ("node is not installed", "Node.js", f"{INSTALL} nodejs"),
    ("node_modules", "npm's node_modules", "npm ci"),
    ("playwright", "the Python package playwright", "make install"),
    ("../shared", "the shared evaluation data beside the repository", "not part of the repository"),
    ("seed corpus", "the shared evaluation data beside the repository", "not part of the repository"),
]


def missing_system_packages() -> list[tuple[str, str]]:
    """(Debian package, what needs it) for each system package the tests use that is not here."""
    import shutil
    from pathlib import Path

    import pg

    missing = []
    if not Path("/usr/bin/chromium").exists():
        missing.append(("chromium", "the browser tests (tests/e2e)"))
    if not os.environ.get(pg.ENV_URL) and pg.find_bindir() is None:
        missing.append(("postgresql", f"the PostgreSQL store tests (or set {pg.ENV_URL})"))
    if shutil.which("node") is None:
        missing.append(("nodejs", "the pages' JavaScript syntax checks"))
    return missing


def pytest_sessionstart(session: pytest.Session) -> None:
    """A banner (shown with -q too) naming the missing system packages and the tests that will skip."""
    missing = missing_system_packages()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not missing or reporter is None:
        return
    names = " ".join(name for name, _ in missing)
    reporter.write_line(f"MISSING SYSTEM PACKAGES: {names}: these tests will be SKIPPED: "
                        + "; ".join(f"{name}: {what}" for name, what in missing), yellow=True, bold=True)
    reporter.write_line(f"install them with: {INSTALL} {names}   (as root; .ci/run and make test do it when "
                        "run as root)", yellow=True, bold=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: how many tests were skipped, grouped by what was missing (pytest -rs lists each one)."""
    from collections import Counter

    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    causes: Counter[str] = Counter()
    for report in skipped:
        longrepr = report.longrepr
        reason = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr)
        cause = next((f"without {what} ({how})" for words, what, how in SKIP_CAUSES if words in reason),
                     "for other reasons (each listed with its reason)")
        causes[cause] += 1
    parts = ", ".join(f"{n} {cause}" for cause, n in causes.most_common())
    terminalreporter.write_line(f"frontwatch: {len(skipped)} test{'s' if len(skipped) != 1 else ''} skipped: "
                                f"{parts}", yellow=True, bold=True)
