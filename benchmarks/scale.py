"""Scale-out ingest: documents per second with 1 and 2 local Dask workers into PostgreSQL.

The corpus is synthetic and streamed: the ten example texts (examples/corpus) become templates whose
people and organisations (found by the pipeline once, at start) are replaced by names drawn from
lists, with years and days of the month varied, so every document is distinct (checked by content
hash) and entity resolution sees a growing population of actors. Each worker count ingests the same
documents into its own fresh database on a throwaway PostgreSQL server (as the tests start one; or
the server of FRONTWATCH_BENCH_PG_URL). The cluster is started and its workers have loaded the
pipeline before the clock starts; startup is reported on its own.

Reported: documents per second per worker count and the speed-up of 2 workers over 1 (goal >= 1.8).
Every worker extracts and writes (see frontwatch.store.distributed): the writes take turns in input
order, so the turns are the serial part. Reported too: how busy the turns were (the share of the run
in which a worker was in a store transaction), their ceiling (documents per second of transaction
time during the run, and of the writes alone with no extraction running) and a projection per core:
docs/s on N worker cores ~ min(N x the 1-worker ingest rate, the ceiling of the turns).

    python benchmarks/scale.py                      # 20,000 documents (long on 2 cores)
    python benchmarks/scale.py --docs 600           # a shorter run
    python benchmarks/scale.py --db URL --workers 2 # into a store you keep: a re-run resumes, as
                                                    # documents already stored are skipped

On this machine PostgreSQL, the scheduler and the client share the 2 cores with the workers.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from sqlalchemy.engine import make_url  # noqa: E402

from frontwatch.model import Document, Extraction  # noqa: E402
from frontwatch.sources import iter_documents  # noqa: E402
from frontwatch.store.db import Store  # noqa: E402
from frontwatch.store.distributed import (  # noqa: E402
    BATCH_SIZE,
    DistributedReport,
    extract_batch,
    ingest_distributed,
    prepare,
)
from frontwatch.store.ingest import store_extractions  # noqa: E402

GOAL = 1.8
EXTRACT_SAMPLE = 400  # documents extracted (and thrown away) to measure extraction alone
FIRST = ("Amara Bogdan Chiara Dmitri Elif Farid Greta Hamid Ines Jonas Katya Leila Marek Nadia Oskar "
         "Priya Quentin Rasa Samir Tamar Umar Vera Wiktor Xenia Yusuf Zofia Anton Beatriz Cyrus Dalia "
         "Emil Fatima Goran Hana Ivo Jamila Kiran Lucia Mihai Noor Olek Pavla Reza Sofia Tariq Ulla "
         "Valentin Wen Yara Zoran").split()
LAST = ("Abramov Baptiste Castellano Dragomir Eriksen Farahani Gallo Horvat Ibrahimi Jankowski Kovac "
        "Lindqvist Moretti Novak Okafor Petrescu Quraishi Rahimi Sokolov Tanaka Urbanek Vasquez Wojcik "
        "Xu Yilmaz Zeller Achterberg Brandt Cerny Dumitru Esposito Fischer Gashi Haddad Ivanova Jovanovic "
        "Kowalczyk Larsen Mikkelsen Nazari Orlov Popescu Ricci Salazar Toivonen Ulrich Varga Weber "
        "Yamada Zhukov").split()
ORG_A = ("Baltic Northern Eastern Atlantic Danube Alpine Civic Global Pacific Meridian Silver Central "
         "Continental Coastal Horizon Liberty Summit Union Harbour Orient").split()
ORG_B = ("Media Policy Strategy Research Heritage Dialogue Truth Future Voice Insight Signal Bridge "
         "Compass Vector Beacon Forum Network Lens Frontier Pulse").split()
ORG_C = "Agency Institute Group Foundation Council Centre Network Partners Bureau Project".split()
SKIP_ORGS = {"European Union", "Government of India", "Countering Foreign Interference Act", "Five Eyes"}
MONTHS = "January February March April May June July August September October November December"
DAY = re.compile(rf"\b([1-9]|[12]\d|3[01]) ({MONTHS.replace(' ', '|')})\b")
YEAR = re.compile(r"\b(19[6-9]\d|20[0-2]\d)\b")


@dataclass
class Template:
    doc: Document
    people: list[tuple[str, list[str]]]  # name, single-word aliases
    orgs: list[str]


def templates() -> list[Template]:
    """The example texts with the people and organisations the pipeline finds in them."""
    from frontwatch.extract import extract_one

    out = []
    for doc in iter_documents([REPO / "examples" / "corpus"]):
        if not isinstance(doc, Document):
            continue
        ex = extract_one(doc)
        people = [(e.name, [a for a in e.aliases if " " not in a and a in e.name.split()])
                  for e in ex.entities if e.type == "person" and len(e.name.split()) >= 2]
        orgs = [e.name for e in ex.entities if e.type == "organization" and " " in e.name
                and e.name not in SKIP_ORGS and "(" not in e.name]
        out.append(Template(doc, people, orgs))
    return out


def variant(t: Template, k: int) -> Document:
    """Document k: the template with names, years and days varied (seeded by k)."""
    rng = random.Random(k)
    subs: dict[str, str] = {}
    for name, aliases in t.people:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        surname_first = any(a == name.split()[0] for a in aliases)
        subs.setdefault(name, f"{last} {first}" if surname_first else f"{first} {last}")
        for alias in aliases:
            subs.setdefault(alias, last)
    for org in t.orgs:
        subs.setdefault(org, f"{rng.choice(ORG_A)} {rng.choice(ORG_B)} {rng.choice(ORG_C)}")
    text = t.doc.text
    if subs:
        names = re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(subs, key=len, reverse=True))
                           + r")(?!\w)")
        text = names.sub(lambda m: subs[m.group(1)], text)
    shift = rng.randint(-4, 0)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = DAY.sub(lambda m: f"{rng.randint(1, 28)} {m.group(2)}", text)
    return Document(id=f"scale-{k:06d}", text=text, title=t.doc.title,
                    url=f"https://scale.example.org/{k}", date=t.doc.date)


def synthetic(base: list[Template], n: int) -> Iterator[Document]:
    """n distinct documents, generated as they are read."""
    seen: set[bytes] = set()
    k = 0
    while len(seen) < n:
        doc = variant(base[k % len(base)], k)
        k += 1
        digest = hashlib.sha256(doc.text.encode()).digest()
        if digest not in seen:
            seen.add(digest)
            yield doc


@dataclass
class Run:
    workers: int
    startup: float
    extract_rate: float  # docs/s of extraction alone on this cluster (nothing written)
    seconds: float
    report: DistributedReport
    rss_mb: float

    @property
    def stored(self) -> int:
        return len(self.report.new) + len(self.report.updated)

    @property
    def rate(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


def measure(url: str, n_workers: int, base: list[Template], docs: int, sample: list[Extraction]) -> Run:
    import psutil
    from distributed import Client, LocalCluster

    store = Store(url)
    started = time.perf_counter()
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster, Client(cluster, set_as_default=False) as client:
        prepare(client, cluster.scheduler_address)
        startup = time.perf_counter() - started
        print(f"{n_workers} worker(s): cluster up, pipeline loaded in {startup:.1f} s", flush=True)
        extract_rate, extracted = extract_only(client, list(synthetic(base, min(docs, EXTRACT_SAMPLE))))
        if not sample:
            sample.extend(extracted)
        print(f"  extraction alone: {extract_rate:.1f} docs/s", flush=True)
        done = 0
        every = max(50, docs // 20)
        t0 = time.perf_counter()

        def tick(name: str, status: str) -> None:
            nonlocal done
            done += 1
            if done % every == 0:
                took = time.perf_counter() - t0
                print(f"  {done:>6}/{docs} documents  {took:7.1f} s  {done / took:6.1f} docs/s", flush=True)

        report = ingest_distributed(store, synthetic(base, docs), cluster=cluster.scheduler_address,
                                    on_progress=tick)
        seconds = time.perf_counter() - t0
        rss = client.run(lambda: psutil.Process().memory_info().rss)
    store.close()
    if report.failed:
        print(f"  {len(report.failed)} failed, first: {report.failed[0]}")
    return Run(n_workers, startup, extract_rate, seconds, report, max(rss.values()) / 2**20)


def extract_only(client: Any, docs: list[Document]) -> tuple[float, list[Extraction]]:
    """Documents per second of extraction on the cluster with results sent back, nothing stored."""
    from distributed import as_completed

    started = time.perf_counter()
    futures = [client.submit(extract_batch, docs[i:i + BATCH_SIZE], pure=False)
               for i in range(0, len(docs), BATCH_SIZE)]
    done = [f.result() for f in as_completed(futures, loop=client.loop)]
    rate = sum(len(batch) for batch in done) / (time.perf_counter() - started)
    extracted = [ex for f in futures for ex in f.result() if isinstance(ex, Extraction)]
    return rate, extracted


def writer_alone(url: str, sample: list[Extraction]) -> float:
    """Documents per second of the writes alone (no extraction running), into an empty store."""
    store = Store(url)
    started = time.perf_counter()
    report = store_extractions(store, sample)
    took = time.perf_counter() - started
    store.close()
    return len(report.new) / took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    ap.add_argument("--db", help="a store to ingest into (resumable); needs a single --workers value")
    args = ap.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    if args.db and len(counts) != 1:
        ap.error("--db takes one worker count: one store cannot hold two measurements")
    print(f"cores {os.cpu_count()}, corpus {args.docs} synthetic documents from the example texts")
    from frontwatch.pipeline import load_pipeline

    load_pipeline()
    base = templates()
    server = None
    server_url = os.environ.get("FRONTWATCH_BENCH_PG_URL")
    import pg

    if not args.db and not server_url:
        server = pg.start_server()
        server_url = server.url()
    runs: list[Run] = []
    sample: list[Extraction] = []
    alone = 0.0
    try:
        for n in counts:
            url = args.db or pg.create_database(str(server_url), prefix="fw_scale_")
            try:
                runs.append(measure(url, n, base, args.docs, sample))
            finally:
                if not args.db:
                    pg.drop_database(str(server_url), str(make_url(url).database))
        if not args.db and sample:
            url = pg.create_database(str(server_url), prefix="fw_scale_")
            try:
                alone = writer_alone(url, sample)
                print(f"writes alone (no extraction): {alone:.1f} docs/s over {len(sample)} documents")
            finally:
                pg.drop_database(str(server_url), str(make_url(url).database))
    finally:
        if server is not None:
            server.stop()
    report(runs, alone, throwaway=server is not None)
    return 0


def report(runs: list[Run], alone: float, throwaway: bool) -> None:
    print(f"\n{'workers':>7}{'extract/s':>10}{'stored':>8}{'skipped':>8}{'seconds':>9}{'ingest/s':>9}"
          f"{'startup s':>10}{'turns busy':>11}{'turns max/s':>12}{'worker RSS MB':>14}")
    for r in runs:
        busy = r.report.write_seconds / r.seconds if r.seconds else 0.0
        ceiling = r.stored / r.report.write_seconds if r.report.write_seconds else 0.0
        print(f"{r.workers:>7}{r.extract_rate:>10.2f}{r.stored:>8}{len(r.report.unchanged):>8}"
              f"{r.seconds:>9.1f}{r.rate:>9.2f}{r.startup:>10.1f}{busy:>10.0%}{ceiling:>12.1f}"
              f"{r.rss_mb:>14.0f}")
    by = {r.workers: r for r in runs}
    if 1 in by and 2 in by and by[1].rate:
        speedup = by[2].rate / by[1].rate
        print(f"\nspeed-up of ingest, 2 workers / 1 worker: {speedup:.2f}x  "
              f"(goal >= {GOAL}: {'met' if speedup >= GOAL else 'missed'})")
        print(f"speed-up of extraction alone: {by[2].extract_rate / by[1].extract_rate:.2f}x")
    one = by.get(1) or runs[0]
    timed = [r for r in runs if r.report.write_seconds]
    if timed:
        per_core = one.rate / one.workers
        turns = max(r.stored / r.report.write_seconds for r in timed)
        print(f"projection: {per_core:.1f} docs/s per worker core (ingest, {one.workers} worker(s)); the "
              f"turns at the store ~{turns:.1f} docs/s (transaction time during the runs)")
        if alone > turns:
            turns = alone
            print(f"  with the database on cores of its own: ~{alone:.1f} docs/s (writes alone)")
        for cores in (1, 2, 4, 8, 16, 32, 64):
            rate = min(cores * per_core, turns)
            bound = "bound by the turns" if cores * per_core > turns else "bound by the workers"
            print(f"  {cores:>3} worker cores: ~{rate:7.1f} docs/s  ({bound})")
    if throwaway:
        print("note: the throwaway PostgreSQL server runs with fsync=off, as in the tests")


if __name__ == "__main__":
    sys.exit(main())
