"""Ingest throughput: documents per second into SQLite and PostgreSQL beside extract-only.

The corpus is the seed texts (../shared/corpus/seeds) and the example corpus, copied until there
are --docs documents; every copy gets a distinct last line so that none is skipped as already known.
Extract-only, ingest into a fresh SQLite file and ingest into a fresh PostgreSQL database (a
throwaway server started as the tests do, or FRONTWATCH_BENCH_PG_URL) run in the same process one
after the other, after one warm-up pass. Goal: ingest keeps >= 0.9 of extract-only's rate.

    python benchmarks/ingest_throughput.py            # 200 documents
    python benchmarks/ingest_throughput.py --docs 40  # a smoke run
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from frontwatch.extract import extract_documents  # noqa: E402
from frontwatch.model import Document  # noqa: E402
from frontwatch.pipeline import load_pipeline  # noqa: E402
from frontwatch.sources import iter_documents  # noqa: E402
from frontwatch.store.db import Store  # noqa: E402
from frontwatch.store.ingest import ingest  # noqa: E402

GOAL = 0.9


def corpus(n: int) -> list[Document]:
    folders = [REPO.parent / "shared" / "corpus" / "seeds", REPO / "examples" / "corpus"]
    base = [d for d in iter_documents([f for f in folders if f.exists()]) if isinstance(d, Document)]
    return [Document(id=f"{d.id}-{i}", text=f"{d.text}\n\nCopy {i} of the benchmark corpus.",
                     title=d.title, url=f"https://bench.example.org/{d.id}/{i}", date=d.date)
            for i in range(n // len(base) + 1) for d in base][:n]


def timed(label: str, work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    took = time.perf_counter() - start
    print(f"  {label:<28} {took:8.2f} s", flush=True)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args()
    docs = corpus(args.docs)
    print(f"corpus   {len(docs)} documents, {sum(len(d.text.split()) for d in docs):,} words")
    load_pipeline()
    list(extract_documents(docs[:10]))  # warm-up
    results: dict[str, float] = {}
    results["extract only"] = timed("extract only", lambda: list(extract_documents(docs)))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "bench.db"))
        results["ingest SQLite"] = timed("ingest into SQLite", lambda: ingest(store, docs))
        store.close()
    server = None
    pg_url = os.environ.get("FRONTWATCH_BENCH_PG_URL")
    if not pg_url:
        try:
            import pg

            server = pg.start_server()
            pg_url = server.url()
        except Exception as exc:  # PostgreSQL missing: report and go on
            print(f"  PostgreSQL: not measured ({exc})")
    if pg_url:
        try:
            store = Store(pg_url)
            results["ingest PostgreSQL"] = timed("ingest into PostgreSQL", lambda: ingest(store, docs))
            store.close()
        finally:
            if server is not None:
                server.stop()
    base = results["extract only"]
    print(f"\n{'measurement':<24}{'seconds':>9}{'docs/s':>9}{'ratio':>8}")
    for label, took in results.items():
        print(f"{label:<24}{took:9.2f}{len(docs) / took:9.1f}{base / took:8.3f}")
    worst = min(base / t for k, t in results.items() if k != "extract only")
    verdict = "met" if worst >= GOAL else "missed"
    print(f"\ningest / extract-only (worst store): {worst:.3f}  (goal >= {GOAL}: {verdict})")
    if server is not None:
        print("note: the throwaway PostgreSQL server runs with fsync=off, as in the tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
