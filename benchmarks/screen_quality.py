"""Quality of `frontwatch screen` on the labelled conversations: precision and recall of the
"alerting" levels (elevated or high), the confusion matrix, the levels per expected label, and every
misclassified file with its score, signs and note.

    python benchmarks/screen_quality.py                          # tests/fixtures/screen
    python benchmarks/screen_quality.py --all                    # also list every file
    python benchmarks/screen_quality.py --folder other/ --labels other/labels.yaml

Goals (asserted by tests/test_screen.py): precision >= 0.9, recall >= 0.9.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from frontwatch.screen.evaluation import Outcome, Report, evaluate

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO / "tests" / "fixtures" / "screen"
PRECISION_GOAL = 0.9
RECALL_GOAL = 0.9


def _row(o: Outcome) -> str:
    mark = "ok " if o.correct else ("FP " if o.alerting else "FN ")
    return (f"  {mark} {o.file:<42} expected {'alert' if o.expected else 'quiet':<5}  got {o.level:<8}"
            f" score {o.score:5.2f}  {', '.join(o.signs) or '-'}\n        {o.note}")


def print_report(report: Report, show_all: bool) -> None:
    n_alert, n_all = report.tp + report.fn, len(report.outcomes)
    print(f"conversations {n_all}  (approaches {n_alert}, benign {n_all - n_alert})")
    print(f"precision {report.precision:.3f}  recall {report.recall:.3f}"
          f"   TP {report.tp}  FP {report.fp}  FN {report.fn}  TN {report.tn}")
    print()
    print("confusion        predicted alert  predicted quiet")
    print(f"  approach       {report.tp:>15}  {report.fn:>15}")
    print(f"  benign         {report.fp:>15}  {report.tn:>15}")
    print()
    for expected in (True, False):
        levels = Counter(o.level for o in report.outcomes if o.expected == expected)
        print(f"levels of {'approaches' if expected else 'benign conversations'}: "
              + ", ".join(f"{lvl} {levels[lvl]}" for lvl in ("none", "low", "elevated", "high")))
    print()
    errors = report.errors
    print(f"misclassified ({len(errors)}):")
    for o in errors:
        print(_row(o))
    if show_all:
        print("\nall:")
        for o in report.outcomes:
            print(_row(o))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="folder of conversations")
    parser.add_argument("--labels", type=Path, default=None, help="labels file (default: FOLDER/labels.yaml)")
    parser.add_argument("--all", action="store_true", help="list every file, not only the errors")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = evaluate(args.folder, args.labels)
    print_report(report, args.all)
    print(f"\n{time.perf_counter() - started:.1f} s (model load included)")
    ok = report.precision >= PRECISION_GOAL and report.recall >= RECALL_GOAL
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
