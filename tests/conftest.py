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
