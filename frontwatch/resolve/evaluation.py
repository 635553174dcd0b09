"""Score `decide` on labelled pairs: precision, recall, F1, and the confusion by deciding rule.

The labelled set is JSON lines, one pair each:
`{"a": {name, type, aliases?, gazetteer_id?, state?}, "b": {...}, "same": true|false, "note": "..."}`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..metrics import Confusion
from .candidate import Candidate
from .matcher import DEFAULT_THRESHOLDS, Decision, Thresholds, decide


@dataclass(frozen=True)
class LabelledPair:
    """Two candidates, whether they are one actor, and why the pair is in the set."""

    a: Candidate
    b: Candidate
    same: bool
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """One labelled pair with the matcher's decision."""

    pair: LabelledPair
    decision: Decision

    @property
    def correct(self) -> bool:
        return self.decision.match == self.pair.same


@dataclass
class Report(Confusion):
    """Counts over a labelled set; `by_rule` maps a rule to its TP/FP/TN/FN counts."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _count(self, predicted: bool, actual: bool) -> int:
        return sum(1 for o in self.outcomes if o.decision.match == predicted and o.pair.same == actual)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    @property
    def by_rule(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for o in self.outcomes:
            kind = ("T" if o.correct else "F") + ("P" if o.decision.match else "N")
            table[o.decision.rule][kind] += 1
        return dict(table)


def candidate_from_dict(data: dict[str, Any]) -> Candidate:
    """A Candidate from the JSON object of a labelled pair."""
    return Candidate(
        name=str(data["name"]), type=str(data["type"]),
        aliases=tuple(str(x) for x in data.get("aliases") or ()),
        gazetteer_id=data.get("gazetteer_id") or None, state=data.get("state") or None,
    )


def load_pairs(path: str | Path) -> list[LabelledPair]:
    """Read a JSON-lines labelled set (blank lines ignored)."""
    pairs: list[LabelledPair] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs.append(LabelledPair(candidate_from_dict(row["a"]), candidate_from_dict(row["b"]),
                                          bool(row["same"]), str(row.get("note", ""))))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{n}: not a labelled pair: {exc}") from exc
    return pairs


def evaluate(pairs: list[LabelledPair], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Report:
    """Run `decide` on every pair."""
    return Report([Outcome(p, decide(p.a, p.b, thresholds)) for p in pairs])
