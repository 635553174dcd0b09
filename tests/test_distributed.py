"""Ingest on a Dask cluster (frontwatch.store.distributed): the store equals a single-process ingest,
a worker killed mid-run loses and duplicates nothing, and the CLI's --workers / --cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import aliased
from test_store_processes import corpus, snapshot

from frontwatch.sources import iter_documents
from frontwatch.store.db import Store
from frontwatch.store.distributed import ingest_distributed
from frontwatch.store.ingest import ingest
from frontwatch.store.schema import ClaimRow, EntityRow

pytest.importorskip("distributed")


@pytest.fixture(params=["sqlite", "postgresql"])
def url_pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty stores of one kind: the single-process reference and the distributed run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ref.db'}", f"sqlite:///{tmp_path / 'dist.db'}"
        return
    first = request.getfixturevalue("pg_empty_url")
    second_name = "fwd_" + os.urandom(6).hex()
    admin = create_engine(first, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{second_name}"'))
    try:
        yield first, first.rsplit("/", 1)[0] + "/" + second_name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{second_name}" WITH (FORCE)'))
        admin.dispose()


def contents(url: str) -> dict[str, Any]:
    """Counts, consistency, and what the store says: entity names and claims by name."""
    store = Store(url)
    subj, obj = aliased(EntityRow), aliased(EntityRow)
    with store.read() as s:
        entities = set(s.execute(select(EntityRow.name, EntityRow.type)).all())
        claims = set(s.execute(select(subj.name, ClaimRow.predicate, obj.name)
                               .join(subj, ClaimRow.subject_id == subj.id)
                               .join(obj, ClaimRow.object_id == obj.id)).all())
    store.close()
    return {"snapshot": snapshot(url), "entities": entities, "claims": claims}


def reference(url: str, folder: Path) -> dict[str, Any]:
    store = Store(url)
    report = ingest(store, iter_documents([folder]))
    store.close()
    assert not report.failed
    return contents(url)


def test_distributed_equals_single_process(tmp_path: Path, url_pair: tuple[str, str], pipeline: Any) -> None:
    ref_url, url = url_pair
    folder = corpus(tmp_path / "docs", 40)
    expected = reference(ref_url, folder)
    store = Store(url)
    seen: list[tuple[str, str]] = []
    report = ingest_distributed(store, iter_documents([folder]), workers=2,
                                on_progress=lambda name, status: seen.append((name, status)))
    assert not report.failed and len(report.new) == 40 and report.workers == 2
    assert len(seen) == 40
    assert [d.id for d in iter_documents([folder])] == report.new  # written in input order
    got = contents(url)
    assert got["snapshot"]["documents"] == got["snapshot"]["distinct_hashes"] == 40
    assert got == expected
    # a re-run sends nothing to the workers: every document is known by its content hash
    again = ingest_distributed(store, iter_documents([folder]), workers=2)
    assert len(again.unchanged) == 40 and not again.new and again.workers == 0
    store.close()
    assert contents(url) == expected


def test_records_with_the_same_text_stay_apart(tmp_path: Path, pipeline: Any) -> None:
    """Two tracker rows with one description are two records, on a cluster as in one process."""
    from frontwatch.model import Document

    text = "The Harbour Bureau funded the Lake Society in Toronto, police alleged."
    rows = [Document(id=f"row-{n}", text=text, source="tracker.csv", record=f"row-{n}") for n in (1, 2)]
    store = Store(f"sqlite:///{tmp_path / 'rows.db'}")
    report = ingest_distributed(store, rows, workers=1)
    assert not report.failed and report.new == ["row-1", "row-2"]
    again = ingest_distributed(store, rows, workers=1)
    assert again.unchanged == ["row-1", "row-2"] and not again.new
    store.close()
    assert snapshot(f"sqlite:///{tmp_path / 'rows.db'}")["documents"] == 2


def test_worker_killed_mid_run(tmp_path: Path, url_pair: tuple[str, str], pipeline: Any) -> None:
    from distributed import Client, LocalCluster

    ref_url, url = url_pair
    folder = corpus(tmp_path / "docs", 120)
    expected = reference(ref_url, folder)
    reached, killed = threading.Event(), threading.Event()
    stored: list[str] = []
    outcome: dict[str, Any] = {}

    def progress(name: str, status: str) -> None:
        stored.append(status)
        if len(stored) == 16:  # two batches written: hold the writer until a worker is gone
            reached.set()
            killed.wait(60)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster, set_as_default=False) as client:
        store = Store(url)

        def work() -> None:
            try:
                outcome["report"] = ingest_distributed(store, iter_documents([folder]),
                                                       cluster=cluster.scheduler_address,
                                                       on_progress=progress)
            except BaseException as exc:  # shown by the assertion below
                outcome["error"] = exc

        thread = threading.Thread(target=work)
        thread.start()
        assert reached.wait(120), "no documents were stored"
        address, victim = next(iter(client.run(os.getpid).items()))
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30  # until the scheduler knows: its results are lost
        while address in client.nthreads() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert address not in client.nthreads()
        killed.set()
        thread.join(300)
        assert not thread.is_alive(), "the ingest did not finish after a worker was killed"
        store.close()
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert not report.failed and len(report.new) == 120
    got = contents(url)
    assert got["snapshot"]["documents"] == got["snapshot"]["distinct_hashes"] == 120
    assert got == expected


def test_batch_that_kills_its_workers(tmp_path: Path, pipeline: Any) -> None:
    """A batch that kills every worker given it is reported failed; the chain of turns is rebuilt
    past it and the rest of the corpus is stored as a single process would store it."""
    import dask
    from dask_faults import MARKER, KillOnMarker
    from distributed import Client, LocalCluster

    folder = corpus(tmp_path / "docs", 24)
    files = sorted(folder.glob("*.txt"))
    doomed = files[8:16]  # the second batch of eight
    doomed[2].write_text(doomed[2].read_text() + MARKER)
    survivors = tmp_path / "survivors"
    survivors.mkdir()
    for path in files:
        if path not in doomed:
            (survivors / path.name).write_text(path.read_text())
    expected = reference(f"sqlite:///{tmp_path / 'ref.db'}", survivors)
    url = f"sqlite:///{tmp_path / 'dist.db'}"
    store = Store(url)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                         host="127.0.0.1") as cluster, Client(cluster, set_as_default=False) as client:
        client.register_plugin(KillOnMarker())
        report = ingest_distributed(store, iter_documents([folder]), cluster=cluster.scheduler_address)
    store.close()
    assert len(report.failed) == 8 and len(report.new) == 16
    assert {Path(name).name for name, _ in report.failed} == {p.name for p in doomed}
    assert all(reason.startswith("a Dask worker died with it") for _, reason in report.failed)
    assert contents(url) == expected


def test_store_unreachable_from_workers(tmp_path: Path, pg_empty_url: str) -> None:
    """Workers that cannot connect to the store (here: their libpq insists on SSL, which the server
    does not offer) stop the ingest before any extraction, with one line naming the store."""
    from distributed import LocalCluster

    from frontwatch.store.distributed import ClusterError

    folder = corpus(tmp_path / "docs", 2)
    store = Store(pg_empty_url)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1", env={"PGSSLMODE": "require"}) as cluster:
        with pytest.raises(ClusterError, match="cannot open the store") as info:
            ingest_distributed(store, iter_documents([folder]), cluster=cluster.scheduler_address)
    assert "\n" not in str(info.value)
    assert snapshot(pg_empty_url)["documents"] == 0
    store.close()


def fw(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwatch", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_cli_workers(tmp_path: Path, pg_empty_url: str, pipeline: Any) -> None:
    folder = corpus(tmp_path / "docs", 12)
    expected = reference(f"sqlite:///{tmp_path / 'ref.db'}", folder)
    done = fw("ingest", str(folder), "--db", pg_empty_url, "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "12 new, 0 unchanged, 0 updated, 0 failed" in done.stderr
    assert "Traceback" not in done.stderr
    assert contents(pg_empty_url) == expected
    both = fw("ingest", str(folder), "--db", pg_empty_url, "--workers", "2", "--cluster", "tcp://x:1")
    assert both.returncode == 2 and "not both" in both.stderr


def test_cli_bad_scheduler(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = corpus(tmp_path / "docs", 2)
    address = f"tcp://127.0.0.1:{port}"
    done = fw("ingest", str(folder), "--db", str(tmp_path / "fw.db"), "--cluster", address,
              env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"frontwatch: cannot reach Dask scheduler at {address}: ")
