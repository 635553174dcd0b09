"""The PostgreSQL fixtures give a real server (>= 15) and an empty database per test."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect, select, text


def test_pg_url_is_postgresql_15_or_newer(pg_url: str) -> None:
    assert pg_url.startswith("postgresql+psycopg://")
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("select version()")).scalar_one()
            major = conn.execute(text("show server_version_num")).scalar_one()
    finally:
        engine.dispose()
    assert version.startswith("PostgreSQL "), version
    assert int(major) >= 150000, version


def _table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_pg_empty_url_is_a_fresh_database(pg_url: str, pg_empty_url: str) -> None:
    assert pg_empty_url != pg_url
    assert pg_empty_url.rsplit("/", 1)[1].startswith("fw_")
    assert _table_names(pg_empty_url) == []

    meta = MetaData()
    claims = Table("claims", meta, Column("id", Integer, primary_key=True), Column("subject", String(200)))
    engine = create_engine(pg_empty_url)
    try:
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(claims.insert(), [{"subject": "Embassy"}, {"subject": "Ministry"}])
        with engine.connect() as conn:
            assert conn.execute(select(claims.c.subject).order_by(claims.c.id)).scalars().all() == [
                "Embassy", "Ministry",
            ]
    finally:
        engine.dispose()
    assert _table_names(pg_empty_url) == ["claims"]


def test_pg_empty_url_does_not_see_other_tests_tables(pg_empty_url: str) -> None:
    # Runs after the test above: its 'claims' table lives in a database that was dropped.
    assert _table_names(pg_empty_url) == []
