"""Ingest processes killed mid-run, and two ingest processes at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from frontwatch.store.db import Store
from frontwatch.store.schema import ClaimRow, DocEntityRow, DocumentRow, EntityRow, EvidenceRow, MentionRow

ACTORS = ["the Ministry of State Security", "the FSB", "the IRGC", "Chinese police", "the GRU"]
TARGETS = ["Lena Vogel", "Omar Haddad", "Wei Lin", "Sara Moreau", "Ivan Petrov", "Nadia Karim"]
HOSTS = ["CSIS", "the FBI", "MI5", "ASIO"]


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        a, t, h = ACTORS[i % len(ACTORS)], TARGETS[i % len(TARGETS)], HOSTS[i % len(HOSTS)]
        (folder / f"r{i:03d}.txt").write_text(
            f"Report {i}. {h} said {a} harassed {t} in {1990 + i}. {t} met with {TARGETS[(i + 1) % 6]}. "
            f"{h} investigated {a} after case number {i} was opened.\n")
    return folder


def ingest_cmd(url: str, folder: Path) -> list[str]:
    return [sys.executable, "-m", "frontwatch", "ingest", str(folder), "--db", url]


def snapshot(url: str) -> dict[str, int]:
    """What the store holds, and whether it is consistent."""
    store = Store(url)
    with store.read() as s:
        counts = {name: int(s.scalar(select(func.count()).select_from(table)) or 0)
                  for name, table in (("documents", DocumentRow), ("entities", EntityRow),
                                      ("claims", ClaimRow), ("evidence", EvidenceRow),
                                      ("mentions", MentionRow), ("doc_entities", DocEntityRow))}
        hashes = select(func.count(func.distinct(DocumentRow.content_hash)))
        counts["distinct_hashes"] = int(s.scalar(hashes) or 0)
        # no half-stored document: every stored document has its entities and its evidence
        counts["docs_without_entities"] = int(s.scalar(select(func.count(DocumentRow.id)).where(
            ~DocumentRow.id.in_(select(DocEntityRow.document_id)))) or 0)
        counts["docs_without_evidence"] = int(s.scalar(select(func.count(DocumentRow.id)).where(
            ~DocumentRow.id.in_(select(EvidenceRow.document_id)))) or 0)
    store.close()
    return counts


@pytest.fixture(params=["sqlite", "postgresql"])
def url_pair(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """Two empty stores of one kind: one for the reference run, one for the test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ref.db'}", f"sqlite:///{tmp_path / 'test.db'}"
    first = request.getfixturevalue("pg_empty_url")
    engine = create_engine(first, isolation_level="AUTOCOMMIT")
    second_name = "fw2_" + os.urandom(6).hex()
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {second_name}"))
    engine.dispose()
    return first, first.rsplit("/", 1)[0] + "/" + second_name


def stored_documents(url: str) -> int:
    """A cheap count for polling (no migrations, no ORM)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM documents")).scalar() or 0)
    finally:
        engine.dispose()


def reference(url: str, folder: Path) -> dict[str, int]:
    subprocess.run(ingest_cmd(url, folder), check=True, capture_output=True, timeout=300)
    return snapshot(url)


def test_sigkill_mid_run_then_rerun(tmp_path: Path, url_pair: tuple[str, str]) -> None:
    ref_url, url = url_pair
    folder = corpus(tmp_path / "docs", 120)
    expected = reference(ref_url, folder)
    assert expected["documents"] == 120 and expected["docs_without_entities"] == 0
    proc = subprocess.Popen(ingest_cmd(url, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            stored = stored_documents(url)
        except Exception:  # the store may not exist yet
            continue
        if stored >= 3:
            break
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = snapshot(url)
    assert 3 <= killed["documents"] < 120
    assert killed["docs_without_entities"] == 0 and killed["docs_without_evidence"] == 0
    subprocess.run(ingest_cmd(url, folder), check=True, capture_output=True, timeout=300)
    assert snapshot(url) == expected


def test_two_ingest_processes_at_once(tmp_path: Path, url_pair: tuple[str, str]) -> None:
    ref_url, url = url_pair
    folder = corpus(tmp_path / "docs", 30)
    expected = reference(ref_url, folder)
    procs = [subprocess.Popen(ingest_cmd(url, folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    got = snapshot(url)
    assert got["documents"] == got["distinct_hashes"] == 30
    assert got == expected
