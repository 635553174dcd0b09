"""`frontwatch extract`: documents to JSON Lines of entities and evidence-backed claims."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..errors import FrontwatchError, SourceError
from ..model import Document, Extraction, drop_unconfident
from ..sources import iter_documents
from .interrupts import interruptible
from .paths import check_extract_output

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line


def _say(message: str) -> None:
    """One line on stderr, never wrapped: Rich folds at the terminal width (80 columns when piped),
    which would split a long path over two lines and break "one line per problem"."""
    err.print(message, markup=False, emoji=False, soft_wrap=True)


MinConfidence = Annotated[str, typer.Option(
    "--min-confidence", metavar="X", show_default=False,
    help="Drop claims whose confidence is below X, a number from 0 to 1 (default 0: keep every claim).")]


def check_min_confidence(value: str) -> float:
    """--min-confidence as a number in [0, 1]; anything else is a one-line usage error (exit status 2)."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:  # also refuses nan
        _say(f"frontwatch: --min-confidence must be a number from 0 to 1, not {value!r}")
        raise typer.Exit(2)
    return number


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .htm .pdf .jsonl).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write JSON Lines here (default: stdout).")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    summary: Annotated[
        bool, typer.Option("--summary", help="Print a table of what was found (stderr).")
    ] = False,
    min_confidence: MinConfidence = "0",
    explain: Annotated[
        bool, typer.Option("--explain", help="Print each claim's confidence and the features or rule behind "
                           "it (stderr).")
    ] = False,
    claims: Annotated[
        str, typer.Option("--claims", metavar="v1|v2", help="Claim extractor: v2, the trained model "
                          "(default), or v1, the rules alone.")
    ] = "",
) -> None:
    """Extract entities and claims (with stance, attribution, tactic, evidence and confidence) from
    documents.

    Writes one JSON object per document (see docs/extract.md). Each claim has a confidence from 0 to 1
    (1.0 for claims the rules find); --min-confidence X leaves out those below X. Unreadable files get
    one line on stderr and the rest are still processed; exit status 0 when at least one document was
    processed, 1 when none, 2 for a usage error.
    """
    threshold = check_min_confidence(min_confidence)
    check_extract_output(out, paths)
    if claims:
        if claims not in ("v1", "v2"):
            _say(f"frontwatch: --claims must be v1 or v2, not {claims!r}")
            raise typer.Exit(2)
        os.environ["FRONTWATCH_CLAIMS"] = claims  # worker processes inherit it
    from ..extract import extract_documents  # spaCy loads only when there is work to do

    failures: list[SourceError] = []

    def documents() -> Iterator[Document]:
        for item in iter_documents(paths):
            if isinstance(item, SourceError):
                failures.append(item)
                _say(f"frontwatch: skipped {item}")
            else:
                yield item

    results: list[Extraction] = []
    # --out is written to a temporary file beside it and renamed when complete: never a partial file
    part = out.with_name(f".{out.name}.{os.getpid()}.part") if out else None
    try:
        handle = part.open("w", encoding="utf-8") if part else sys.stdout
    except OSError as exc:
        err.print(f"frontwatch: cannot write {out or 'standard output'}: {exc.strerror}", markup=False)
        raise typer.Exit(1) from None
    complete = False
    try:
        with interruptible() as check_interrupt:
            for extracted in extract_documents(documents(), jobs=jobs):
                check_interrupt()
                result = drop_unconfident(extracted, threshold)
                handle.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
                if explain:
                    _explain(result)
                results.append(result) if summary else results.append(_light(result))
        complete = True
    except FrontwatchError as exc:
        _say(f"frontwatch: {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:
        _say(f"frontwatch: cannot write {out or 'standard output'}: {exc.strerror}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        kept = f"; {out} left unchanged" if out else ""
        _say(f"frontwatch: interrupted after {len(results)} documents{kept}")
        raise typer.Exit(130) from None
    finally:
        if part:
            handle.close()
            if not complete:
                part.unlink(missing_ok=True)
    if part and out:
        try:
            os.replace(part, out)
        except OSError as exc:
            part.unlink(missing_ok=True)
            _say(f"frontwatch: cannot write {out or 'standard output'}: {exc.strerror}")
            raise typer.Exit(1) from None
    if summary:
        _print_summary(results)
    if not results:
        _say("frontwatch: no documents were processed")
        raise typer.Exit(1)
    n_claims = sum(len(r.claims) for r in results)
    where = f" to {out}" if out else ""
    _say(f"frontwatch: {len(results)} documents, {n_claims} claims{where}; {len(failures)} skipped")


def _light(result: Extraction) -> Extraction:
    """Keep only what the closing line needs, so long runs don't hold every result in memory."""
    return Extraction(document=result.document, entities=[], claims=result.claims)


def _print_summary(results: list[Extraction]) -> None:
    table = Table(title="Documents", show_lines=False)
    for col in ("document", "entities", "claims", "alleged", "denied"):
        table.add_column(col)
    for r in results:
        table.add_row(r.document.id, str(len(r.entities)), str(len(r.claims)),
                      str(sum(c.stance == "alleged" for c in r.claims)),
                      str(sum(c.stance == "denied" for c in r.claims)))
    err.print(table)
    claims = Table(title="Claims (first 40; stance and attribution travel with every claim)")
    for col in ("subject", "predicate", "object", "stance", "according to", "tactic", "doc"):
        claims.add_column(col, overflow="fold")
    rows = [(c, r.document.id) for r in results for c in r.claims if c.predicate not in ("located_in",)]
    for c, doc_id in rows[:40]:
        claims.add_row(c.subject, c.predicate, c.object, c.stance, c.attributed_to or "-", c.tactic or "-",
                       doc_id)
    err.print(claims)


def _explain(result: Extraction) -> None:
    """One line per claim: its confidence, stance and what decided it (model features or the rules)."""
    for c in result.claims:
        why = "; ".join(c.explanation) or "rules (v1)"
        _say(f"{result.document.id}: {c.subject} -{c.predicate}-> {c.object} [{c.stance}] "
             f"confidence {c.confidence:.2f}: {why}")
