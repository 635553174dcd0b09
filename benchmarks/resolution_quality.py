"""Cross-document resolution quality: `frontwatch.resolve.decide` on the hand-labelled pairs.

Prints precision, recall and F1, the confusion by deciding rule (which rule said yes or no, and how
often it was right), and every error with its note.

    python benchmarks/resolution_quality.py                  # tests/fixtures/resolution_pairs.jsonl
    python benchmarks/resolution_quality.py --features       # also the feature vector of each error
    python benchmarks/resolution_quality.py --sweep          # precision/recall across fuzzy thresholds
    python benchmarks/resolution_quality.py --person 0.95 --other 0.88 --pairs other.jsonl

Goals (asserted by tests/test_resolution.py): precision >= 0.95, recall >= 0.85.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from frontwatch.resolve import DEFAULT_THRESHOLDS, Thresholds
from frontwatch.resolve.evaluation import LabelledPair, Report, evaluate, load_pairs
from frontwatch.resolve.features import feature_vector

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAIRS = REPO / "tests" / "fixtures" / "resolution_pairs.jsonl"
PRECISION_GOAL = 0.95
RECALL_GOAL = 0.85


def _describe(pair: LabelledPair, side: str) -> str:
    cand = pair.a if side == "a" else pair.b
    extra = []
    if cand.aliases:
        extra.append("aliases=" + "|".join(cand.aliases))
    if cand.state:
        extra.append(f"state={cand.state}")
    if cand.gazetteer_id:
        extra.append(f"id={cand.gazetteer_id}")
    return f"{cand.name!r} [{cand.type}{'; ' + ', '.join(extra) if extra else ''}]"


def print_report(report: Report, thresholds: Thresholds, show_features: bool) -> None:
    print(f"pairs {len(report.outcomes)}  (same {report.tp + report.fn}, different {report.fp + report.tn})"
          f"  thresholds: person {thresholds.person}, other {thresholds.other}")
    print(f"precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}"
          f"   TP {report.tp}  FP {report.fp}  FN {report.fn}  TN {report.tn}")
    print()
    print(f"{'rule':<20} {'TP':>4} {'FP':>4} {'TN':>4} {'FN':>4}")
    for rule, counts in sorted(report.by_rule.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"{rule:<20} {counts['TP']:>4} {counts['FP']:>4} {counts['TN']:>4} {counts['FN']:>4}")
    print()
    errors = report.errors
    print(f"errors ({len(errors)}):")
    for o in errors:
        kind = "FP" if o.decision.match else "FN"
        print(f"  {kind} [{o.decision.rule} {o.decision.score:.2f}] {_describe(o.pair, 'a')} ~ "
              f"{_describe(o.pair, 'b')}\n      {o.pair.note}")
        if show_features:
            vec = feature_vector(o.pair.a, o.pair.b)
            print("      " + "  ".join(f"{k}={v:.2f}" for k, v in vec.items() if v))


def sweep(pairs: list[LabelledPair]) -> None:
    print(f"{'person':>7} {'other':>6} {'precision':>10} {'recall':>7} {'F1':>6}")
    default = (DEFAULT_THRESHOLDS.person, DEFAULT_THRESHOLDS.other)
    for person in (0.85, 0.88, 0.90, 0.92, 0.95):
        for other in (0.80, 0.85, 0.88, 0.90, 0.93):
            r = evaluate(pairs, Thresholds(person=person, other=other))
            mark = "  <- default" if (person, other) == default else ""
            print(f"{person:>7.2f} {other:>6.2f} {r.precision:>10.3f} {r.recall:>7.3f} {r.f1:>6.3f}{mark}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS, help="labelled pairs (JSON lines)")
    parser.add_argument("--person", type=float, default=DEFAULT_THRESHOLDS.person,
                        help="fuzzy threshold for persons")
    parser.add_argument("--other", type=float, default=DEFAULT_THRESHOLDS.other,
                        help="fuzzy threshold for every other type")
    parser.add_argument("--features", action="store_true", help="print each error's non-zero features")
    parser.add_argument("--sweep", action="store_true", help="precision/recall over a grid of thresholds")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.pairs)
    if args.sweep:
        sweep(pairs)
        return 0
    thresholds = Thresholds(person=args.person, other=args.other)
    report = evaluate(pairs, thresholds)
    print_report(report, thresholds, args.features)
    ok = report.precision >= PRECISION_GOAL and report.recall >= RECALL_GOAL
    print(f"\ngoals: precision >= {PRECISION_GOAL}, recall >= {RECALL_GOAL}: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
