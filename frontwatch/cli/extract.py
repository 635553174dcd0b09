"""`frontwatch extract`: documents to JSON Lines of entities and evidence-backed claims."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..errors import FrontwatchError, SourceError
from ..model import Document, Extraction
from ..sources import iter_documents

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line


def _say(message: str) -> None:
    """One line on stderr, never wrapped: Rich folds at the terminal width (80 columns when piped),
    which would split a long path over two lines and break "one line per problem"."""
    err.print(message, markup=False, emoji=False, soft_wrap=True)


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .htm .pdf .jsonl).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write JSON Lines here (default: stdout).")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    summary: Annotated[
        bool, typer.Option("--summary", help="Print a table of what was found (stderr).")
    ] = False,
) -> None:
    """Extract entities and claims (with stance, attribution, tactic and evidence) from documents.

    Writes one JSON object per document (see docs/extract.md). Unreadable files get one line on stderr
    and the rest are still processed; exit status 0 when at least one document was processed, 1 when none.
    """
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
    try:
        handle = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        err.print(f"frontwatch: cannot write {out}: {exc.strerror}", markup=False)
        raise typer.Exit(1) from None
    try:
        for result in extract_documents(documents(), jobs=jobs):
            handle.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            results.append(result) if summary else results.append(_light(result))
    except FrontwatchError as exc:
        _say(f"frontwatch: {exc}")
        raise typer.Exit(1) from None
    except OSError as exc:
        _say(f"frontwatch: cannot write {out}: {exc.strerror}")
        raise typer.Exit(1) from None
    finally:
        if out:
            handle.close()
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
