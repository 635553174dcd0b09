"""Extraction throughput: frontwatch's full pipeline against the bare spaCy model, and --jobs 2 against 1.

Texts are the seed documents (../shared/corpus/seeds, else examples/corpus) repeated until there are
at least --words words.  Every measurement is warmed up first (one pass over the distinct texts) and
timed with time.perf_counter; the model is loaded before timing starts.

    python benchmarks/extract_throughput.py            # 200,000 words (a few minutes on 2 cores)
    python benchmarks/extract_throughput.py --quick    # 20,000 words, a smoke run

Goals: the full pipeline keeps >= 0.75 of the bare model's words per second, and --jobs 2 is
>= 1.7x as fast as --jobs 1.  This is a script, not a test: nothing runs it automatically.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
EXAMPLES = REPO / "examples" / "corpus"
DEFAULT_WORDS = 200_000
QUICK_WORDS = 20_000
RATIO_GOAL = 0.75
SPEEDUP_GOAL = 1.7


@dataclass
class Timing:
    label: str
    seconds: float
    words: int

    @property
    def rate(self) -> float:
        return self.words / self.seconds if self.seconds else float("inf")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--words", type=int, default=DEFAULT_WORDS, metavar="N",
                      help=f"repeat the texts to at least N words (default {DEFAULT_WORDS:,})")
    size.add_argument("--quick", action="store_true", help=f"smoke run on {QUICK_WORDS:,} words")
    ap.add_argument("--corpus", type=Path, default=None,
                    help="folder of documents (default: ../shared/corpus/seeds, else examples/corpus)")
    ap.add_argument("--jobs", type=int, default=2, metavar="J", help="worker processes to compare with 1")
    ap.add_argument("--repeat", type=int, default=1, metavar="R",
                    help="time each measurement R times and keep the fastest (less noise on a busy machine)")
    args = ap.parse_args(argv)
    if args.quick:
        args.words = QUICK_WORDS
    if args.words < 1:
        ap.error("--words must be at least 1")
    if args.jobs < 2:
        ap.error("--jobs must be at least 2")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    return args


def load_texts(corpus: Path | None) -> tuple[Path, list]:
    """The distinct documents of the corpus folder; unreadable files are reported and left out."""
    from frontwatch.errors import SourceError
    from frontwatch.sources import iter_documents

    folder = corpus or (SEEDS if SEEDS.is_dir() else EXAMPLES)
    docs = []
    for item in iter_documents([folder]):
        if isinstance(item, SourceError):
            print(f"skipped {item}", file=sys.stderr)
        else:
            docs.append(item)
    if not docs:
        sys.exit(f"no readable documents in {folder}")
    return folder, docs


def repeat_to(docs: list, min_words: int) -> list:
    """The documents over and over (with distinct ids) until they hold at least min_words words."""
    out, words, k = [], 0, 0
    while words < min_words:
        for d in docs:
            out.append(replace(d, id=f"{d.id}#{k}"))
            words += n_words(d.text)
            if words >= min_words:
                break
        k += 1
    return out


def n_words(text: str) -> int:
    return len(text.split())


def timed(label: str, words: int, work: Callable[[], int], warm_up: Callable[[], object],
          repeat: int = 1) -> Timing:
    """Warm up once, then the fastest of `repeat` timed runs."""
    warm_up()
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        n = work()
        seconds = time.perf_counter() - start
        best = min(best, seconds)
        print(f"  {label:<38}{seconds:9.2f} s  ({n} documents)", file=sys.stderr, flush=True)
    return Timing(label, best, words)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from frontwatch.extract import MAX_CHARS, extract_documents, to_extraction
    from frontwatch.pipeline import find_model, load_base, load_pipeline

    folder, distinct = load_texts(args.corpus)
    docs = repeat_to(distinct, args.words)
    texts = [d.text[:MAX_CHARS] for d in docs]  # what extract_documents gives the model
    words = sum(n_words(t) for t in texts)
    print(f"corpus   {folder} ({len(distinct)} documents, {sum(n_words(d.text) for d in distinct):,} words)")
    print(f"run      {words:,} words in {len(docs)} documents; model {find_model()}; "
          f"{os.cpu_count()} CPUs; Python {platform.python_version()}")

    print("loading models...", file=sys.stderr, flush=True)
    base = load_base()
    nlp = load_pipeline()
    warm_texts = [d.text[:MAX_CHARS] for d in distinct]

    def run_base(batch: list[str]) -> int:
        return sum(1 for _ in base.pipe(batch, batch_size=16))

    def run_full(batch: list) -> int:
        # extract_documents(jobs=1) spelled out: one pipeline, nlp.pipe in batches, to_extraction per doc
        n = 0
        for doc, d in nlp.pipe(((d.text[:MAX_CHARS], d) for d in batch), as_tuples=True, batch_size=16):
            to_extraction(d, doc)
            n += 1
        return n

    def run_jobs(batch: list, jobs: int) -> int:
        return sum(1 for _ in extract_documents(batch, jobs=jobs))

    print("timing...", file=sys.stderr, flush=True)
    r = args.repeat
    t_base = timed("spaCy model, nlp.pipe", words, lambda: run_base(texts), lambda: run_base(warm_texts), r)
    t_full = timed("frontwatch pipeline + to_extraction", words, lambda: run_full(docs),
                   lambda: run_full(distinct), r)
    t_one = timed("extract_documents(jobs=1)", words, lambda: run_jobs(docs, 1),
                  lambda: run_jobs(distinct, 1), r)
    t_many = timed(f"extract_documents(jobs={args.jobs})", words, lambda: run_jobs(docs, args.jobs),
                   lambda: run_jobs(distinct, args.jobs), r)

    print()
    print(f"{'measurement' + (f' (best of {r})' if r > 1 else ''):<38}{'seconds':>9}{'words/s':>11}")
    for t in (t_base, t_full, t_one, t_many):
        print(f"{t.label:<38}{t.seconds:9.2f}{t.rate:11,.0f}")
    ratio = t_full.rate / t_base.rate
    speedup = t_one.seconds / t_many.seconds
    print()
    print(f"pipeline / bare model throughput   {ratio:6.3f}   (goal >= {RATIO_GOAL:.2f}: "
          f"{'met' if ratio >= RATIO_GOAL else 'MISSED'})")
    print(f"jobs={args.jobs} / jobs=1 speed-up          {speedup:6.3f}x  (goal >= {SPEEDUP_GOAL:.1f}x: "
          f"{'met' if speedup >= SPEEDUP_GOAL else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
