"""Extraction throughput: frontwatch's full pipeline against the bare spaCy model, and --jobs 2 against 1.

Texts are the seed documents (../shared/corpus/seeds, else examples/corpus) repeated until there are
at least --words words.  Every measurement is warmed up first (one pass over the distinct texts) and
timed with time.perf_counter; the model is loaded before timing starts.  The bare model and the pipeline
take turns over --rounds parts of the documents (default 4), so that a machine whose speed drifts during
the run (this one's bare model ran from 4,800 to 6,300 words/s between runs) moves both alike: timed one
after the other, session 25's code gave 0.62 in that session and 0.53 in the next.

    python benchmarks/extract_throughput.py            # 200,000 words (a few minutes on 2 cores)
    python benchmarks/extract_throughput.py --quick    # 20,000 words, a smoke run
    python benchmarks/extract_throughput.py --long-only  # just the one-long-text line (about a minute)

Goals: the full pipeline keeps >= 0.75 of the bare model's words per second, and --jobs 2 is
>= 1.7x as fast as --jobs 1.  This is a script, not a test: nothing runs it automatically.

Long text: the distinct documents are also joined (blank line between them, repeated) into one text of
--long-kb KB (default 300; 0 leaves it out), extracted as one document with `extract_one`, as `frontwatch
extract` does (frontwatch/pipeline/run.py parses it in pieces).  Its words per second over the
pipeline's words per second on the distinct documents one by one is printed: near 1 means extraction
time grows linearly with the length of a text (goal >= 0.6; it was 0.2-0.3 when the claims component
read the document's entity list once per sentence).  The bare model's own ratio is printed beside it,
and the process's peak memory after the long text.
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
LONG_KB = 300
LONG_GOAL = 0.6  # long text's words/s over short documents' words/s
ROUNDS = 4  # parts of the documents timed in turns by the bare model and the pipeline


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
    ap.add_argument("--rounds", type=int, default=ROUNDS, metavar="N",
                    help=f"cut the documents into N parts timed in turns by the bare model and the pipeline "
                    f"(default {ROUNDS}): a machine whose speed drifts during the run moves both alike")
    ap.add_argument("--long-kb", type=int, default=LONG_KB, metavar="KB",
                    help=f"also extract one text of KB kilobytes made of the documents (default {LONG_KB}; "
                    "0: no)")
    ap.add_argument("--long-only", action="store_true", help="only the long-text measurement")
    args = ap.parse_args(argv)
    if args.quick:
        args.words = QUICK_WORDS
    if args.words < 1:
        ap.error("--words must be at least 1")
    if args.jobs < 2:
        ap.error("--jobs must be at least 2")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if args.long_kb < 0:
        ap.error("--long-kb must be 0 or more")
    if args.long_only and args.long_kb == 0:
        ap.error("--long-only needs --long-kb above 0")
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


def long_text(docs: list, kb: int) -> str:
    """The documents' texts joined by blank lines, over and over, until the text has kb * 1000 characters."""
    parts: list[str] = []
    size = 0
    while size < kb * 1000:
        for d in docs:
            parts.append(d.text.strip())
            size += len(parts[-1]) + 2
            if size >= kb * 1000:
                break
    return "\n\n".join(parts)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KB, macOS bytes)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


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


def interleaved(works: list[tuple[str, Callable[[list], int], Callable[[], object]]], docs: list,
                rounds: int, repeat: int = 1) -> list[Timing]:
    """Time several ways of processing the same documents, taking turns: the documents are cut into
    `rounds` parts and each part goes through every way in turn, so that a machine that slows down or
    speeds up during the run weighs on all of them alike (their ratio is what the benchmark reports).
    Each way is warmed up first; with `repeat`, the fastest of that many whole runs is kept."""
    for _, _, warm_up in works:
        warm_up()
    size = -(-len(docs) // rounds)
    parts = [docs[i:i + size] for i in range(0, len(docs), size)]
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        totals = [0.0] * len(works)
        for part in parts:
            for k, (_, work, _) in enumerate(works):
                gc.collect()
                start = time.perf_counter()
                work(part)
                totals[k] += time.perf_counter() - start
        for k, (label, _, _) in enumerate(works):
            print(f"  {label:<38}{totals[k]:9.2f} s  ({len(docs)} documents, {len(parts)} turns)",
                  file=sys.stderr, flush=True)
            best[k] = min(best[k], totals[k])
    words = sum(n_words(d.text) for d in docs)
    return [Timing(label, best[k], words) for k, (label, _, _) in enumerate(works)]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from frontwatch.extract import extract_documents, to_extraction
    from frontwatch.pieces import cut
    from frontwatch.pipeline import find_model, load_base, load_pipeline
    from frontwatch.pipeline.run import PARSE_CHARS, pipe

    folder, distinct = load_texts(args.corpus)
    docs = repeat_to(distinct, args.words)
    texts = [d.text for d in docs]  # what extract_documents gives the model
    words = sum(n_words(t) for t in texts)
    print(f"corpus   {folder} ({len(distinct)} documents, {sum(n_words(d.text) for d in distinct):,} words)")
    print(f"run      {words:,} words in {len(docs)} documents; model {find_model()}; "
          f"{os.cpu_count()} CPUs; Python {platform.python_version()}")

    print("loading models...", file=sys.stderr, flush=True)
    base = load_base()
    nlp = load_pipeline()
    warm_texts = [d.text for d in distinct]

    def run_base(batch: list[str]) -> int:
        return sum(1 for _ in base.pipe(batch, batch_size=16))

    def run_base_pieces(batch: list[str]) -> int:
        # the bare model over the pieces the pipeline parses (run.PARSE_CHARS): the fair comparison
        return sum(1 for _ in base.pipe([p for t in batch for _, p in cut(t, PARSE_CHARS)], batch_size=16))

    def run_full(batch: list) -> int:
        # extract_documents(jobs=1) spelled out: one pipeline, run.pipe in batches, to_extraction per doc
        n = 0
        for doc, d in pipe(nlp, ((d.text, d) for d in batch), batch_size=16):
            to_extraction(d, doc)
            n += 1
        return n

    def run_jobs(batch: list, jobs: int) -> int:
        return sum(1 for _ in extract_documents(batch, jobs=jobs))

    r = args.repeat
    if args.long_only:
        return run_long(args.long_kb, distinct, base, nlp, run_base, run_full, r)
    print("timing...", file=sys.stderr, flush=True)
    t_base, t_pieces, t_full = interleaved(
        [("spaCy model, nlp.pipe", lambda part: run_base([d.text for d in part]),
          lambda: run_base(warm_texts)),
         (f"spaCy model, {PARSE_CHARS:,}-char pieces", lambda part: run_base_pieces([d.text for d in part]),
          lambda: run_base_pieces(warm_texts)),
         ("frontwatch pipeline + to_extraction", run_full, lambda: run_full(distinct))],
        docs, args.rounds, r)
    t_one = timed("extract_documents(jobs=1)", words, lambda: run_jobs(docs, 1),
                  lambda: run_jobs(distinct, 1), r)
    t_many = timed(f"extract_documents(jobs={args.jobs})", words, lambda: run_jobs(docs, args.jobs),
                   lambda: run_jobs(distinct, args.jobs), r)

    print()
    print(f"{'measurement' + (f' (best of {r})' if r > 1 else ''):<38}{'seconds':>9}{'words/s':>11}")
    for t in (t_base, t_pieces, t_full, t_one, t_many):
        print(f"{t.label:<38}{t.seconds:9.2f}{t.rate:11,.0f}")
    ratio = t_full.rate / t_base.rate
    speedup = t_one.seconds / t_many.seconds
    print()
    print(f"pipeline / bare model throughput   {ratio:6.3f}   (goal >= {RATIO_GOAL:.2f}: "
          f"{'met' if ratio >= RATIO_GOAL else 'MISSED'})")
    print(f"pipeline / bare model in pieces    {t_full.rate / t_pieces.rate:6.3f}   (the model's own share "
          "of the gain from parsing in pieces left out)")
    print(f"jobs={args.jobs} / jobs=1 speed-up          {speedup:6.3f}x  (goal >= {SPEEDUP_GOAL:.1f}x: "
          f"{'met' if speedup >= SPEEDUP_GOAL else 'MISSED'})")
    if args.long_kb:
        print()
        return run_long(args.long_kb, distinct, base, nlp, run_base, run_full, r)
    return 0


def run_long(kb: int, distinct: list, base, nlp, run_base: Callable[[list[str]], int],
             run_full: Callable[[list], int], repeat: int) -> int:
    """One long text against the same documents one by one: words per second of each, and their ratio."""
    from frontwatch.extract import extract_one

    text = long_text(distinct, kb)
    document = replace(distinct[0], id="long", text=text)
    short_words = sum(n_words(d.text) for d in distinct)
    long_words = n_words(text)
    print(f"long     one text of {len(text):,} characters ({long_words:,} words) made of the "
          f"{len(distinct)} documents")
    print("timing the long text...", file=sys.stderr, flush=True)

    def full_long() -> int:
        extract_one(document)  # what `frontwatch extract` does with it
        return 1

    def base_long() -> int:
        base(text)
        return 1

    short_texts = [d.text for d in distinct]
    t_short = timed("pipeline, the documents one by one", short_words, lambda: run_full(distinct),
                    lambda: run_full(distinct), repeat)
    t_long = timed(f"pipeline, one {kb} KB text", long_words, full_long, lambda: run_full(distinct), repeat)
    peak = peak_rss_mb()
    t_bshort = timed("spaCy model, the documents one by one", short_words, lambda: run_base(short_texts),
                     lambda: run_base(short_texts), repeat)
    t_blong = timed(f"spaCy model, one {kb} KB text", long_words, base_long, lambda: run_base(short_texts),
                    repeat)
    print()
    best = f" (best of {repeat})" if repeat > 1 else ""
    print(f"{'measurement' + best:<38}{'seconds':>9}{'words/s':>11}")
    for t in (t_short, t_long, t_bshort, t_blong):
        print(f"{t.label:<38}{t.seconds:9.2f}{t.rate:11,.0f}")
    ratio = t_long.rate / t_short.rate
    print()
    print(f"{kb} KB text / short documents, words/s {ratio:6.3f}   (goal >= {LONG_GOAL:.2f}: "
          f"{'met' if ratio >= LONG_GOAL else 'MISSED'}; spaCy model alone "
          f"{t_blong.rate / t_bshort.rate:.3f})")
    print(f"peak memory after the pipeline's long text   {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
