"""Two CSV tables for spreadsheets and Kumu/Flourish-style tools: nodes.csv and edges.csv in one folder.
Every edge row carries its stance and who alleged or denied it beside the predicate.

Names and sentences come from documents anyone can write, so a text cell that a spreadsheet would run
as a formula (starting with = + - @, a tab or a carriage return) gets a leading single quote, and every
cell is quoted, as OWASP recommends against CSV injection."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..graph.network import Edge, Network

NODE_COLUMNS = ("id", "name", "type", "aliases", "gazetteer_id", "review_status")
EDGE_COLUMNS = (
    "id", "source", "source_name", "target", "target_name", "predicate", "stance", "alleged_by",
    "denied_by", "tactic", "sources", "publishers", "first_seen", "last_seen", "review_status", "evidence",
    "documents", "urls", "confidence", "asserted_by", "stance_counts", "date_source",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run, made inert with a leading single quote; numbers as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Writer:
    """csv.writer that quotes every cell and neutralises formulas."""

    def __init__(self, fh: Any) -> None:
        self._w = csv.writer(fh, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        self._w.writerow([neutralise(v) for v in row])


def _documents(edge: Edge) -> list[str]:
    """The edge's documents in evidence order, each once."""
    return list(dict.fromkeys(ev.document for ev in edge.evidence))


def write(network: Network, out: Path) -> None:
    """Write `out`/nodes.csv and `out`/edges.csv (the folder is created)."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "nodes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = _Writer(fh)
        w.writerow(NODE_COLUMNS)
        for n in network.nodes.values():
            w.writerow([n.id, n.name, n.type, "; ".join(n.aliases), n.gazetteer_id or "", n.review_status])
    names = {n.id: n.name for n in network.nodes.values()}
    with (out / "edges.csv").open("w", newline="", encoding="utf-8") as fh:
        w = _Writer(fh)
        w.writerow(EDGE_COLUMNS)
        for e in network.edges:
            docs = _documents(e)
            urls = [u for u in (network.documents[d].url if d in network.documents else None for d in docs)
                    if u]
            w.writerow([
                e.id, e.source, names.get(e.source, ""), e.target, names.get(e.target, ""), e.predicate,
                e.stance, "; ".join(e.alleged_by), "; ".join(e.denied_by), e.tactic or "", e.documents,
                e.publishers, e.first_seen or "", e.last_seen or "", e.review_status,
                e.evidence[0].sentence if e.evidence else "", "; ".join(docs), "; ".join(urls),
                round(e.confidence, 4), "; ".join(e.asserted_by),
                "; ".join(f"{k} {n}" for k, n in e.stance_counts.items()), e.date_source or "",
            ])


def writer(fh: Any) -> _Writer:
    """A CSV writer for any table: every cell quoted, formula cells neutralised (the browse exports)."""
    return _Writer(fh)
