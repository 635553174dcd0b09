"""Ingest on a Dask cluster: extraction and writing on the workers, in turns that keep input order.

The client reads the documents, hash-checks them against the store and sends the new ones to the
workers in batches of eight. Each batch is two tasks: ``extract_batch`` (the spaCy pipeline, loaded
once per worker process) and ``write_batch``, which depends on that extraction *and on the previous
batch's write*. The chain of write tasks makes the workers take turns at the store in the order of
the input, so entity resolution sees exactly what a single-process `ingest` sees and the store ends
up the same; the extraction tasks have nothing to wait for, so a worker extracts whenever it is not
its turn to write. Writes run where their extraction is (no data moves) and are preferred over
extraction, so the chain advances as soon as a worker is free. Each worker keeps its own resolver
index and replays, under the store's write lock, the names the other workers stored since.

The client only reads the store, submits and reports: no single process has to do every write, so
adding workers adds write capacity until the database itself is the limit.

At most ``4 x worker threads`` batches are in flight, so memory stays flat however large the corpus.
A worker that dies mid-run costs nothing but time: Dask recomputes what it held (and retries failed
tasks twice); a batch that kills workers again and again (``KilledWorker``) is reported as failed
documents, and the chain is rebuilt past it. Content identity (the text hash, plus a tracker row's key)
makes every write idempotent: a write that a dead worker had committed is found, not repeated.

Every worker writes to the store, so the store must be reachable from every worker: PostgreSQL for
a cluster (its writers serialise on an advisory lock); a SQLite file only for a local cluster.
"""

from __future__ import annotations

import ctypes
import itertools
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from ..errors import FrontwatchError, ModelNotFoundError, SourceError
from ..model import Document, Extraction, drop_unconfident
from .db import Store
from .ingest import IngestReport, identity, known_hashes, write_extraction
from .resolver import Resolver
from .schema import DocumentRow

if TYPE_CHECKING:
    from distributed import Client, Future

BATCH_SIZE = 8  # documents per task
HASH_CHUNK = 256  # documents hash-checked against the store at a time
WORKER_WAIT_S = 120.0  # how long to wait for the first worker of an existing cluster
RECHECK_S = 10.0  # how often the number of worker threads (and so the window) is looked at again
AHEAD = 8  # batches in flight per worker thread: enough extraction queued to fill the turns


class ClusterError(FrontwatchError):
    """The Dask cluster could not be reached or could not run frontwatch."""


@dataclass
class ExtractFailure:
    """A document the pipeline could not process (sent back in place of its extraction)."""

    name: str
    reason: str


@dataclass
class Outcome:
    """What a worker did with one document of a batch."""

    name: str  # the document's id, or its source when it failed
    status: str  # "new", "updated", "unchanged" or "failed"
    reason: str = ""
    seconds: float = 0.0  # in its store transaction


@dataclass
class DistributedReport(IngestReport):
    """An ingest report with where the time went."""

    workers: int = 0
    write_seconds: float = 0.0  # in store transactions, summed over the workers
    wait_seconds: float = 0.0  # the client waiting for the next batch in input order
    retried: list[str] = field(default_factory=list)  # stored by a worker that died, found again


# --- on the workers ----------------------------------------------------------------------------------

MMAP_THRESHOLD = 32 << 20  # glibc's own ceiling for its dynamic mmap threshold (64-bit)
M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


def warm_worker() -> str:
    """Load the pipeline now (once per worker process); a missing model fails here, early."""
    from ..pipeline import load_pipeline

    _unfreeze_mmap_threshold()
    nlp = load_pipeline()
    return str(nlp.meta.get("name", "?"))


def _unfreeze_mmap_threshold() -> None:
    """Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_ set, and glibc then stops raising its
    mmap threshold above 128 KiB: the pipeline's arrays were mapped and unmapped for every document,
    10-15% of extraction time. Set the threshold where glibc would have let it grow."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to undo there
        pass


def extract_batch(documents: list[Document]) -> list[Extraction | ExtractFailure]:
    """Extract a batch in order. A document that breaks the pipeline is sent back as a failure; a
    missing model is an error of the whole task (every document would fail the same way)."""
    from ..extract import extract_chunk, extract_one

    try:
        return list(extract_chunk(documents))
    except ModelNotFoundError:
        raise
    except Exception:  # one bad document must not cost the batch: again one by one, to find it
        pass
    out: list[Extraction | ExtractFailure] = []
    for doc in documents:
        try:
            out.append(extract_one(doc))
        except ModelNotFoundError:
            raise
        except Exception as exc:  # one bad document must not cost the batch
            out.append(ExtractFailure(doc.source or doc.id, f"extraction failed: {exc}"))
    return out


_WRITER: dict[str, tuple[Store, Resolver]] = {}  # per worker process: the current run's writer


def write_batch(url: str, run: str, results: list[Extraction | ExtractFailure], after: object = None,
                min_confidence: float = 0.0) -> list[Outcome]:
    """Write a batch's extractions to the store at `url`, one transaction per document. `after` is
    the previous batch's outcome: depending on it is what makes the writes take turns in order.
    A worker keeps its store connection and resolver index for the rest of the run `run`. Claims
    whose confidence is below `min_confidence` are left out."""
    if run not in _WRITER:
        for old, _ in _WRITER.values():  # a worker of a long-lived cluster: an earlier run's writer
            old.close()
        _WRITER.clear()
        _WRITER[run] = (Store(url), Resolver())
    store, resolver = _WRITER[run]
    out: list[Outcome] = []
    for result in results:
        if isinstance(result, ExtractFailure):
            out.append(Outcome(result.name, "failed", result.reason))
            continue
        started = time.perf_counter()
        try:
            status: str = store.retry(partial(write_extraction, ex=drop_unconfident(result, min_confidence),
                                              resolver=resolver), on_rollback=resolver.forget)
        except FrontwatchError as exc:
            resolver.forget()
            out.append(Outcome(result.document.source or result.document.id, "failed", str(exc)))
            continue
        out.append(Outcome(result.document.id, status, seconds=time.perf_counter() - started))
    return out


def release_writer() -> None:
    """Close this worker's store connections at the end of a run (a worker that holds none exits
    promptly when a local cluster shuts down)."""
    for store, _ in _WRITER.values():
        store.close()
    _WRITER.clear()


# --- in the client -----------------------------------------------------------------------------------

@contextmanager
def connect(cluster: str | None, workers: int | None) -> Iterator[Client]:
    """A client of the scheduler at `cluster`, or of a new local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if (cluster is None) == (workers is None):
        raise ValueError("give either cluster (a scheduler address) or workers (a number), not both")
    if cluster is not None:
        try:
            client = Client(cluster, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach Dask scheduler at {cluster}: {_one_line(exc)}") from None
        try:
            yield client
        finally:
            client.close()
        return
    assert workers is not None
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as local, Client(local, set_as_default=False) as client:
        yield client


def open_store(url: str) -> str:
    """Open the store at `url` (the schema is current: the client opened it) and close it again."""
    store = Store(url)
    try:
        with store.read() as session:
            session.execute(select(DocumentRow.id).limit(1))
    finally:
        store.close()
    return "ok"


def prepare(client: Client, address: str, url: str | None = None) -> int:
    """Wait for a worker, load the pipeline on every worker there is and, given the store's `url`,
    check that every worker can open it; the number of worker threads."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise ClusterError(f"no Dask workers joined the scheduler at {address} "
                           f"within {WORKER_WAIT_S:.0f} s") from None
    try:
        client.run(warm_worker)
    except Exception as exc:  # ModuleNotFoundError on a worker without frontwatch, a missing model, ...
        raise ClusterError(f"the Dask workers at {address} cannot run frontwatch: {_one_line(exc)}") from None
    if url is not None:
        try:
            client.run(open_store, url)
        except Exception as exc:  # StoreError: unreachable host, bad credentials, a file not there
            shown = make_url(url).render_as_string(hide_password=True)
            reason = _one_line(exc).removeprefix(f"cannot open store {shown}: ")
            raise ClusterError(f"the Dask workers at {address} cannot open the store {shown}: "
                               f"{reason}") from None
    return _threads(client)


def _threads(client: Client) -> int:
    return max(1, sum(client.nthreads().values()))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def batches(store: Store, items: Iterable[Document | SourceError], report: IngestReport,
            tick: Callable[[str, str], None], size: int = BATCH_SIZE) -> Iterator[list[Document]]:
    """The documents to extract, `size` at a time, read lazily; unreadable items, documents the
    store already holds and repeats of a text earlier in the input are reported as they pass."""
    chunk: list[Document] = []
    seen: set[str] = set()

    def check(chunk: list[Document]) -> list[Document]:
        # the same identity as a single-process ingest: the text, and a tracker row's own key
        known = known_hashes(store, [identity(d) for d in chunk])
        todo = []
        for doc in chunk:
            digest = identity(doc)
            if digest in known or digest in seen:
                report.unchanged.append(doc.id)
                tick(doc.id, "unchanged")
            else:
                seen.add(digest)
                todo.append(doc)
        return todo

    pending: list[Document] = []
    for item in items:
        if isinstance(item, SourceError):
            report.failed.append((item.path, item.reason))
            tick(item.path, "failed")
            continue
        chunk.append(item)
        if len(chunk) >= HASH_CHUNK:
            pending.extend(check(chunk))
            chunk = []
            while len(pending) >= size:
                yield pending[:size]
                pending = pending[size:]
    pending.extend(check(chunk) if chunk else [])
    for i in range(0, len(pending), size):
        yield pending[i:i + size]


@dataclass
class _Slot:
    """One batch in flight: its documents, its extraction task and its write task."""

    docs: list[Document]
    extract: Future[Any]
    write: Future[Any] | None = None


class _Chain:
    """Submits batches as extract + write task pairs whose writes form a chain in input order."""

    def __init__(self, client: Client, url: str, min_confidence: float = 0.0) -> None:
        self.client, self.url, self.min_confidence = client, url, min_confidence
        self.run = uuid.uuid4().hex
        self.slots: list[_Slot] = []  # in input order; slots[0] is the next to be written

    def submit(self, docs: list[Document]) -> None:
        extract = self.client.submit(extract_batch, docs, retries=2, pure=False)
        slot = _Slot(docs, extract)
        self._link(slot, self.slots[-1].write if self.slots else None)
        self.slots.append(slot)

    def _link(self, slot: _Slot, after: Future[Any] | None) -> None:
        slot.write = self.client.submit(write_batch, self.url, self.run, slot.extract, after,
                                        self.min_confidence, retries=2, pure=False,
                                        priority=1)  # a free worker writes before it extracts

    def relink(self) -> None:
        """After the head batch failed for good, rebuild the chain of the batches behind it (their
        writes depended on the failed one)."""
        after = None
        for slot in self.slots:
            old = slot.write
            self._link(slot, after)
            if old is not None:
                old.cancel()
            after = slot.write


def run(client: Client, url: str, todo: Iterator[list[Document]], report: DistributedReport,
        tick: Callable[[str, str], None], threads: int, min_confidence: float = 0.0) -> None:
    """Keep up to AHEAD x threads batches in flight; report each batch's outcomes in input order."""
    from distributed import KilledWorker

    chain = _Chain(client, url, min_confidence)
    window = AHEAD * threads
    exhausted = False
    checked = time.monotonic()

    def fill() -> None:
        nonlocal exhausted
        while not exhausted and len(chain.slots) < window:
            batch = next(todo, None)
            if batch is None:
                exhausted = True
                return
            chain.submit(batch)

    fill()
    while chain.slots:
        slot = chain.slots[0]
        assert slot.write is not None
        started = time.perf_counter()
        try:
            outcomes: list[Outcome] = slot.write.result()
        except KilledWorker as exc:  # the batch killed its workers again and again
            reason = f"a Dask worker died with it ({_one_line(exc)})"
            outcomes = [Outcome(d.source or d.id, "failed", reason) for d in slot.docs]
            chain.slots.pop(0)
            chain.relink()
        except Exception as exc:
            for other in chain.slots:
                other.extract.cancel()
                if other.write is not None:
                    other.write.cancel()
            raise ClusterError(f"ingest failed on the Dask cluster: {_one_line(exc)}") from None
        else:
            chain.slots.pop(0)
        finally:
            report.wait_seconds += time.perf_counter() - started
        slot.extract.release()
        slot.write.release()
        record(report, outcomes, tick)
        if time.monotonic() - checked > RECHECK_S:  # workers may have joined or left
            checked = time.monotonic()
            window = AHEAD * _threads(client)
        fill()


def record(report: DistributedReport, outcomes: list[Outcome], tick: Callable[[str, str], None]) -> None:
    """Add a batch's outcomes to the report. Every document sent out was new to the store and to
    the run (see batches), so one a worker found stored was written by an attempt that died."""
    for o in outcomes:
        report.write_seconds += o.seconds
        if o.status == "failed":
            report.failed.append((o.name, o.reason))
        else:
            if o.status == "unchanged":
                report.retried.append(o.name)
            getattr(report, "new" if o.status == "unchanged" else o.status).append(o.name)
        tick(o.name, "new" if o.status == "unchanged" else o.status)


def ingest_distributed(store: Store, items: Iterable[Document | SourceError], *, cluster: str | None = None,
                       workers: int | None = None,
                       on_progress: Callable[[str, str], None] | None = None,
                       min_confidence: float = 0.0) -> DistributedReport:
    """Extract and write on a Dask cluster (`cluster`: a scheduler address such as
    ``tcp://host:8786``) or on a new local cluster of `workers` processes; the store ends up as
    `ingest` would leave it. Unreadable documents and failed writes are reported, never fatal; a
    scheduler that cannot be reached, or workers that cannot run frontwatch, raise `ClusterError`.
    Claims whose confidence is below `min_confidence` are not stored."""

    if (cluster is None) == (workers is None):
        raise ValueError("give either cluster (a scheduler address) or workers (a number), not both")
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    report = DistributedReport()

    def tick(name: str, status: str) -> None:
        if on_progress is not None:
            on_progress(name, status)

    todo = batches(store, items, report, tick)
    first = next(todo, None)
    if first is None:  # nothing to extract: no cluster needed
        return report
    address = cluster or "a local cluster"
    with connect(cluster, workers) as client:
        url = worker_url(store)
        threads = prepare(client, address, url)
        report.workers = threads
        try:
            run(client, url, itertools.chain([first], todo), report, tick, threads, min_confidence)
        finally:
            try:
                client.run(release_writer)
            except Exception:  # a worker that died meanwhile holds nothing any more
                pass
    return report


def worker_url(store: Store) -> str:
    """The store's URL as a worker process must see it: a SQLite path made absolute."""
    url = make_url(store.url)
    if store.is_sqlite:
        if not url.database or url.database == ":memory:":
            raise ClusterError("a store in memory cannot be shared with Dask workers: give --db a file "
                               "or a PostgreSQL URL")
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=False)
