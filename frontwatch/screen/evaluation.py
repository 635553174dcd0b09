"""Score the screen on a labelled folder of conversations (``labels.yaml``: file -> alerting, note).

"Alerting" means the level is elevated or high.  Used by tests/test_screen.py and
benchmarks/screen_quality.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..metrics import Confusion
from .detect import Screening, screen_conversation
from .parse import read_conversation

ALERTING = ("elevated", "high")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One labelled conversation and what the screen said."""

    file: str
    expected: bool
    level: str
    score: float
    note: str
    signs: tuple[str, ...]

    @property
    def alerting(self) -> bool:
        return self.level in ALERTING

    @property
    def correct(self) -> bool:
        return self.alerting == self.expected


@dataclass(slots=True)
class Report(Confusion):
    """Precision and recall of "alerting" over a labelled set."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _count(self, predicted: bool, actual: bool) -> int:
        return sum(1 for o in self.outcomes if o.alerting == predicted and o.expected == actual)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]


def load_labels(path: Path) -> dict[str, dict[str, object]]:
    """file name -> {"alerting": bool, "note": str}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) and isinstance(v.get("alerting"), bool)
                                             for v in data.values()):
        raise ValueError(f"{path}: expected a mapping of file name to {{alerting: true|false, note: ...}}")
    return data


def evaluate(folder: Path, labels: Path | None = None) -> Report:
    """Screen every labelled file of ``folder``."""
    report = Report()
    for name, label in sorted(load_labels(labels or folder / "labels.yaml").items()):
        s: Screening = screen_conversation(read_conversation(folder / name))
        report.outcomes.append(Outcome(
            file=name, expected=bool(label["alerting"]), level=s.level, score=s.score,
            note=str(label.get("note", "")), signs=tuple(f.indicator.id for f in s.findings)))
    return report
