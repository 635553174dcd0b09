"""JSON Lines: one object per line, entities first, then claims with all their evidence, then the
source documents, so a reader can stream the file and resolve every reference it has already seen."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..graph.network import Network


def records(network: Network) -> list[dict[str, Any]]:
    """The lines of the export as dicts, in file order."""
    names = {n.id: n.name for n in network.nodes.values()}
    out: list[dict[str, Any]] = [{"kind": "entity", **asdict(n)} for n in network.nodes.values()]
    for e in network.edges:
        claim = asdict(e)  # evidence becomes a list of dicts, each with its own stance and attribution
        claim["source_name"] = names.get(e.source)
        claim["target_name"] = names.get(e.target)
        out.append({"kind": "claim", **claim})
    out += [{"kind": "document", **asdict(d)} for d in network.documents.values()]
    return out


def write(network: Network, out: Path) -> None:
    """Write the network to `out` as JSON Lines (parent folders are created)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for rec in records(network):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
