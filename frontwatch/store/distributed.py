"""Ingest on a Dask cluster: extraction on the workers, one writer in this process.

Documents go to the workers in small batches; each worker loads the pipeline once (``load_pipeline``
is cached per process) and sends back `Extraction` objects. This process writes them to the store,
one transaction per document, in the order of the input: a single writer that writes in a fixed
order resolves entities exactly as a single-process `ingest` does, so the store ends up the same.

At most ``2 x worker threads`` batches are being extracted at once and at most twice that many are
submitted but not yet written (results that arrive early wait for the ones before them), so memory
stays flat however large the corpus. Documents the store already holds (by content hash) are never
sent out, which makes a re-run after an interruption cheap.

A worker that dies mid-run costs nothing but time: Dask runs its batches again elsewhere (and tasks
that fail are retried twice); a batch that kills workers again and again (``KilledWorker``) is
reported as failed documents. Content-hash identity keeps every write idempotent.

A local cluster (``workers=N``) shares the machine with the writer, so its workers run at a lower
CPU priority: the writer is the one part that cannot be spread out.

The store should be PostgreSQL for a cluster (every worker host can reach it, and its writers
serialise on an advisory lock); a SQLite file works when the client runs on the machine that has it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin

from ..errors import FrontwatchError, ModelNotFoundError, SourceError
from ..model import Document, Extraction
from .db import Store
from .ingest import IngestReport, content_hash, known_hashes, write_extraction
from .resolver import Resolver

if TYPE_CHECKING:
    from distributed import Client, Future

BATCH_SIZE = 8  # documents per task
HASH_CHUNK = 256  # documents hash-checked against the store at a time
WORKER_WAIT_S = 120.0  # how long to wait for the first worker of an existing cluster
RECHECK_S = 10.0  # how often the number of worker threads (and so the window) is looked at again
LOCAL_NICENESS = 10  # a local cluster's workers give way to the writer on the same cores


class ClusterError(FrontwatchError):
    """The Dask cluster could not be reached or could not run frontwatch."""


@dataclass
class ExtractFailure:
    """A document the pipeline could not process (sent back in place of its extraction)."""

    name: str
    reason: str


@dataclass
class DistributedReport(IngestReport):
    """An ingest report with where the client's time went."""

    workers: int = 0
    write_seconds: float = 0.0  # in store transactions
    wait_seconds: float = 0.0  # waiting for the workers' results


# --- on the workers ----------------------------------------------------------------------------------

def lower_priority(niceness: int = LOCAL_NICENESS) -> None:
    """Make this worker process yield the CPU to the writer on a shared machine (Linux: every thread;
    threads started later inherit it). A local cluster's workers share the cores with the client,
    whose single writer is the part that cannot be spread out."""
    try:
        tids = [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        tids = [0]
    for tid in tids:
        try:
            os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), niceness))
        except OSError:
            pass


class LowPriority(WorkerPlugin):
    """Runs lower_priority on every worker of a local cluster, restarted ones too."""

    name = "frontwatch-low-priority"
    idempotent = True

    def setup(self, worker: Any) -> None:
        lower_priority()


def warm_worker() -> str:
    """Load the pipeline now (once per worker process); a missing model fails here, early."""
    from ..pipeline import load_pipeline

    nlp = load_pipeline()
    return str(nlp.meta.get("name", "?"))


def extract_batch(documents: list[Document]) -> list[Extraction | ExtractFailure]:
    """Extract a batch in order. A document that breaks the pipeline is sent back as a failure; a
    missing model is an error of the whole task (every document would fail the same way)."""
    from ..extract import extract_one

    out: list[Extraction | ExtractFailure] = []
    for doc in documents:
        try:
            out.append(extract_one(doc))
        except ModelNotFoundError:
            raise
        except Exception as exc:  # one bad document must not cost the batch
            out.append(ExtractFailure(doc.source or doc.id, f"extraction failed: {exc}"))
    return out


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
        share_machine(client)
        yield client


def share_machine(client: Client) -> None:
    """Workers on the client's machine run at a lower priority than its writer (see lower_priority)."""
    client.register_plugin(LowPriority())


def prepare(client: Client, address: str) -> int:
    """Wait for a worker, load the pipeline on every worker there is; the number of worker threads."""
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except TimeoutError:
        raise ClusterError(f"no Dask workers joined the scheduler at {address} "
                           f"within {WORKER_WAIT_S:.0f} s") from None
    try:
        client.run(warm_worker)
    except Exception as exc:  # ModuleNotFoundError on a worker without frontwatch, a missing model, ...
        raise ClusterError(f"the Dask workers at {address} cannot run frontwatch: {_one_line(exc)}") from None
    return _threads(client)


def _threads(client: Client) -> int:
    return max(1, sum(client.nthreads().values()))


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def batches(store: Store, items: Iterable[Document | SourceError], report: IngestReport,
            tick: Callable[[str, str], None], size: int = BATCH_SIZE) -> Iterator[list[Document]]:
    """The documents to extract, `size` at a time, read lazily; unreadable items and documents the
    store already holds are reported as they pass."""
    chunk: list[Document] = []

    def check(chunk: list[Document]) -> list[Document]:
        known = known_hashes(store, [content_hash(d.text) for d in chunk])
        todo = []
        for doc in chunk:
            if content_hash(doc.text) in known:
                report.unchanged.append(doc.id)
                tick(doc.id, "unchanged")
            else:
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


class _Writer:
    """Writes results in input order: batch i only after batches 0..i-1."""

    def __init__(self, store: Store, report: DistributedReport, tick: Callable[[str, str], None]) -> None:
        self.store, self.report, self.tick = store, report, tick
        self.resolver = Resolver()
        self.buffered: dict[int, list[Extraction | ExtractFailure]] = {}
        self.next = 0

    def add(self, index: int, results: list[Extraction | ExtractFailure]) -> None:
        self.buffered[index] = results
        while self.next in self.buffered:
            for result in self.buffered.pop(self.next):
                self.write(result)
            self.next += 1

    def write(self, result: Extraction | ExtractFailure) -> None:
        if isinstance(result, ExtractFailure):
            self.report.failed.append((result.name, result.reason))
            self.tick(result.name, "failed")
            return
        name = result.document.source or result.document.id
        started = time.perf_counter()
        try:
            status: str = self.store.retry(partial(write_extraction, ex=result, resolver=self.resolver),
                                           on_rollback=self.resolver.forget)
        except FrontwatchError as exc:
            self.resolver.forget()
            self.report.failed.append((name, str(exc)))
            self.tick(name, "failed")
            return
        finally:
            self.report.write_seconds += time.perf_counter() - started
        getattr(self.report, status).append(result.document.id)
        self.tick(result.document.id, status)


def run(client: Client, store: Store, todo: Iterator[list[Document]], writer: _Writer, threads: int) -> None:
    """Submit batches with backpressure and hand results to the writer as they come."""
    from distributed import KilledWorker, as_completed

    in_flight = 2 * threads
    window = 2 * in_flight
    docs: dict[int, list[Document]] = {}  # batches submitted and not yet written
    index: dict[Future[Any], int] = {}
    queue = as_completed(loop=client.loop)
    submitted = 0
    exhausted = False
    checked = time.monotonic()

    def fill() -> None:
        nonlocal submitted, exhausted
        while not exhausted and len(index) < in_flight and submitted - writer.next < window:
            batch = next(todo, None)
            if batch is None:
                exhausted = True
                return
            future = client.submit(extract_batch, batch, retries=2, pure=False)
            docs[submitted] = batch
            index[future] = submitted
            queue.add(future)
            submitted += 1

    fill()
    while index:
        started = time.perf_counter()
        future = next(queue)
        i = index.pop(future)
        try:
            results = future.result()
        except KilledWorker as exc:  # the batch killed its workers again and again
            reason = f"a Dask worker died extracting it ({_one_line(exc)})"
            results = [ExtractFailure(d.source or d.id, reason) for d in docs[i]]
        except Exception as exc:
            for pending in index:
                pending.cancel()
            raise ClusterError(f"extraction failed on the Dask cluster: {_one_line(exc)}") from None
        finally:
            writer.report.wait_seconds += time.perf_counter() - started
        future.release()
        del docs[i]
        writer.add(i, results)
        if time.monotonic() - checked > RECHECK_S:  # workers may have joined or left
            checked = time.monotonic()
            threads = _threads(client)
            in_flight, window = 2 * threads, 4 * threads
        fill()


def ingest_distributed(store: Store, items: Iterable[Document | SourceError], *, cluster: str | None = None,
                       workers: int | None = None,
                       on_progress: Callable[[str, str], None] | None = None) -> DistributedReport:
    """Extract on a Dask cluster (`cluster`: a scheduler address such as ``tcp://host:8786``) or on a
    new local cluster of `workers` processes, and store the documents as `ingest` would: the store
    ends up identical. Unreadable documents and failed writes are reported, never fatal; a scheduler
    that cannot be reached, or workers that cannot run frontwatch, raise `ClusterError`."""

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
        threads = prepare(client, address)
        report.workers = threads
        run(client, store, _chain(first, todo), _Writer(store, report, tick), threads)
    return report


def _chain(first: list[Document], rest: Iterator[list[Document]]) -> Iterator[list[Document]]:
    yield first
    yield from rest
