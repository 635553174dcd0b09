"""Graph query speed on a synthetic store: 1,000,000 claims over 200,000 entities.

Builds the store once per backend (SQLite file, and PostgreSQL: a throwaway server as the tests start
one, or FRONTWATCH_BENCH_PG_URL), then times `graph neighbors --depth 2` and `graph path` (shortest
paths with the evidence of every hop) for 20 random entities / pairs each and prints the medians.
Goals: neighbours depth 2 under 200 ms, shortest path under 1 s.

The synthetic network: every claim's subject is a uniformly random entity; its object is uniform
70% of the time and one of 2,000 "hub" entities (states, agencies) 30% of the time, so hubs have
hundreds of claims as in real reporting. Each claim has one evidence sentence.

    python benchmarks/graph_queries.py                       # 1,000,000 claims (several minutes)
    python benchmarks/graph_queries.py --claims 100000 --entities 20000   # a smoke run
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from sqlalchemy import insert  # noqa: E402

from frontwatch.graph.filters import Filters  # noqa: E402
from frontwatch.graph.traverse import neighbors, shortest_paths  # noqa: E402
from frontwatch.store.db import Store  # noqa: E402
from frontwatch.store.schema import (  # noqa: E402
    AliasRow,
    ClaimRow,
    DocEntityRow,
    DocumentRow,
    EntityRow,
    EvidenceRow,
)

PREDICATES = ["controls", "affiliated_with", "funds", "supports", "meets", "recruits", "targets",
              "interferes_in", "investigates"]
TYPES = ["person", "organization", "state_body", "country", "place", "diplomatic_mission"]
BATCH = 20_000


def populate(store: Store, n_entities: int, n_claims: int, seed: int = 42) -> None:
    rng = random.Random(seed)
    hubs = max(n_entities // 100, 10)
    with store.engine.begin() as conn:
        def put(table: Any, rows: list[dict[str, Any]]) -> None:
            for i in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[i:i + BATCH])

        n_docs = max(n_claims // 1000, 1)
        put(DocumentRow.__table__, [
            {"id": d, "doc_key": f"doc{d}", "content_hash": f"{d:064x}", "lineage_id": d, "version": 1,
             "text": "synthetic", "publisher": f"outlet{d % 50}", "published": "2024-01-01"}
            for d in range(1, n_docs + 1)])
        put(EntityRow.__table__, [
            {"id": e, "name": f"Entity {e}", "type": TYPES[e % len(TYPES)], "review_status": "pending"}
            for e in range(1, n_entities + 1)])
        put(AliasRow.__table__, [{"id": e, "entity_id": e, "alias": f"Entity {e}", "norm": f"entity {e}"}
                                 for e in range(1, n_entities + 1)])
        put(DocEntityRow.__table__, [
            {"id": e, "document_id": 1, "entity_id": e, "local_name": f"Entity {e}", "local_type": "person",
             "forms": [], "rule": "new", "score": 1.0} for e in range(1, n_entities + 1)])
        seen: set[tuple[int, str, int]] = set()
        claims: list[dict[str, Any]] = []
        evidence: list[dict[str, Any]] = []
        while len(claims) < n_claims:
            s = rng.randint(1, n_entities)
            o = rng.randint(1, hubs) if rng.random() < 0.3 else rng.randint(1, n_entities)
            p = rng.choice(PREDICATES)
            if s == o or (s, p, o) in seen:
                continue
            seen.add((s, p, o))
            cid = len(claims) + 1
            claims.append({"id": cid, "subject_id": s, "predicate": p, "object_id": o, "stance": "alleged",
                           "n_documents": 1, "n_publishers": 1, "first_seen": "2024-01-01",
                           "last_seen": "2024-01-01", "review_status": "pending"})
            evidence.append({"id": cid, "claim_id": cid, "document_id": (cid % n_docs) + 1,
                             "subject_de_id": s, "object_de_id": o, "predicate": p, "stance": "alleged",
                             "sentence": f"Entity {s} {p} Entity {o}, a source said."})
        put(ClaimRow.__table__, claims)
        put(EvidenceRow.__table__, evidence)
    if not store.is_sqlite:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
            for table in ("documents", "entities", "aliases", "doc_entities", "claims", "evidence"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def median_ms(work: Callable[[int], Any], runs: int = 20) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        work(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(label: str, store: Store, n_entities: int) -> dict[str, float]:
    rng = random.Random(7)
    picks = [rng.randint(1, n_entities) for _ in range(20)]
    pairs = [(rng.randint(1, n_entities), rng.randint(1, n_entities)) for _ in range(20)]
    f = Filters()
    with store.read() as session:
        neighbors(session, str(picks[0]), 2, f)  # warm caches
        nb = median_ms(lambda i: neighbors(session, str(picks[i]), 2, f))
        sizes = [len(neighbors(session, str(p), 2, f)["nodes"]) for p in picks[:5]]
        sp = median_ms(lambda i: shortest_paths(session, str(pairs[i][0]), str(pairs[i][1]), f))
        lengths = [len((shortest_paths(session, str(a), str(b), f)["paths"] or [{"hops": []}])[0]["hops"])
                   for a, b in pairs[:5]]
    print(f"  {label:<11} neighbours depth 2: median {nb:7.1f} ms (about {statistics.median(sizes):.0f} "
          f"entities)   shortest path: median {sp:7.1f} ms (lengths {lengths})", flush=True)
    return {"neighbors": nb, "path": sp}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--entities", type=int, default=200_000)
    args = ap.parse_args()
    print(f"synthetic store: {args.claims:,} claims over {args.entities:,} entities")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "graph.db"))
        start = time.perf_counter()
        populate(store, args.entities, args.claims)
        print(f"  SQLite      built in {time.perf_counter() - start:.0f} s", flush=True)
        results["SQLite"] = measure("SQLite", store, args.entities)
        store.close()
    server = None
    url = os.environ.get("FRONTWATCH_BENCH_PG_URL")
    if not url:
        try:
            import pg

            server = pg.start_server()
            url = server.url()
        except Exception as exc:
            print(f"  PostgreSQL: not measured ({exc})")
    if url:
        try:
            store = Store(url)
            start = time.perf_counter()
            populate(store, args.entities, args.claims)
            print(f"  PostgreSQL  built in {time.perf_counter() - start:.0f} s", flush=True)
            results["PostgreSQL"] = measure("PostgreSQL", store, args.entities)
            store.close()
        finally:
            if server is not None:
                server.stop()
    print()
    for label, r in results.items():
        ok_n = "met" if r["neighbors"] < 200 else "missed"
        ok_p = "met" if r["path"] < 1000 else "missed"
        print(f"{label:<11} neighbours depth 2 {r['neighbors']:7.1f} ms (goal < 200 ms: {ok_n});  "
              f"shortest path {r['path']:7.1f} ms (goal < 1000 ms: {ok_p})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
