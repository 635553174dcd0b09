"""Store commands: ingest, stats, entity (show, merge, split), claims, review, audit, undo."""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from typer.core import TyperGroup

from ..dates import period_label, published_day
from ..errors import FrontwatchError, SourceError, StoreError
from ..graph.filters import STANCE_FILTERS
from ..model import PREDICATES, Document
from ..vocab_docs import help_text
from .extract import MinConfidence, check_min_confidence
from .interrupts import interruptible

if TYPE_CHECKING:
    from ..store.ingest import IngestReport

T = TypeVar("T")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

Db = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL or SQLite path (env FRONTWATCH_DB; "
                                        "default ./frontwatch.db).", show_default=False)]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
By = Annotated[str | None, typer.Option("--by", help="Who makes the change (default: $FRONTWATCH_USER or "
                                        "the login name).", show_default=False)]


def actor(by: str | None) -> str:
    return by or os.environ.get("FRONTWATCH_USER") or getpass.getuser()


def open_store(db: str | None, create: bool = False) -> Any:
    """The store at --db. Only the commands that add to a store (ingest, import, users add) pass
    `create=True`; the others refuse a path where there is no store yet instead of making one."""
    from ..store.db import Store

    return Store(db, create=create)


def fail(exc: Exception) -> typer.Exit:
    err.print(f"frontwatch: {exc}", markup=False)
    return typer.Exit(1)


TOO_LARGE = "a number is too large (ids, limits and counts are at most 2147483647)"


def read_store(db: str | None, work: Callable[[Any], T]) -> T:
    """Run `work` on a read session of the store; a store error (a corrupted file too) ends the command
    with one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..store.db import short_error

    store = None
    try:
        store = open_store(db)
        with store.read() as session:
            return work(session)
    except FrontwatchError as exc:
        raise fail(exc) from None
    except SQLAlchemyError as exc:
        where = store.display_url if store is not None else db
        raise fail(StoreError(f"store {where}: {short_error(exc)}")) from None
    except OverflowError:  # SQLite cannot bind a number past 64 bits: no id or limit is that large
        raise fail(FrontwatchError(TOO_LARGE)) from None


def write_store(db: str | None, work: Callable[[Any], T], create: bool = False) -> T:
    """Run `work` in a write transaction of the store (retried when busy); a store error ends the
    command with one line."""
    try:
        return open_store(db, create=create).retry(work)
    except FrontwatchError as exc:
        raise fail(exc) from None
    except OverflowError:
        raise fail(FrontwatchError(TOO_LARGE)) from None


def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs.")],
    db: Db = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extraction processes.")] = 1,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Allow URLs on private, loopback or link-local addresses.")] = False,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Extract and write on the Dask cluster whose scheduler is at this address "
        "(tcp://HOST:8786). Every worker must reach the store: use PostgreSQL.", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Extract and write on a local Dask cluster of this many worker processes.",
        show_default=False)] = None,
    min_confidence: MinConfidence = "0",
    date: Annotated[str | None, typer.Option(
        "--date", help="Published date (YYYY-MM-DD) for documents that give none of their own.",
        show_default=False)] = None,
) -> None:
    """Extract documents and store them with provenance, resolving entities across documents.

    The same text again adds nothing; the same URL with new text is stored as a new version. Each
    document is one transaction. Exit status 0 when at least one document was stored or already known.
    With --cluster or --workers, Dask workers extract and write, taking turns at the store in the
    order of the input, and the store ends up the same. --min-confidence X stores only the claims
    whose confidence (0 to 1; 1.0 for claims the rules find) is at least X; a document already in the
    store is not read again. --date DAY is the published date of documents that give none (page
    metadata, a record's date or a front matter block); without it their date stays unknown.
    """
    threshold = check_min_confidence(min_confidence)
    if date is not None and (published_day(date) is None or len(date) != 10):
        err.print(f"frontwatch: --date wants a date like 2023-06-30, not '{date}'", markup=False)
        raise typer.Exit(2)
    from ..sources import iter_documents
    from ..store.ingest import ingest as run_ingest

    if cluster is not None and workers is not None:
        err.print("frontwatch: give --cluster or --workers, not both", markup=False)
        raise typer.Exit(2)
    try:
        store = open_store(db, create=True)
    except FrontwatchError as exc:
        raise fail(exc) from None
    items: list[Document | SourceError] = []
    for value in inputs:
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", value)
        if scheme and scheme[1].lower() not in ("http", "https"):
            items.append(SourceError(value, f"unsupported URL scheme '{scheme[1]}' (http and https only)"))
        elif scheme:
            from ..sources.web import fetch_url

            try:
                items.append(fetch_url(value, allow_private=allow_private_urls))
            except SourceError as exc:
                items.append(exc)
        else:
            items.extend(iter_documents([Path(value)]))
    for item in items:
        if date is not None and isinstance(item, Document) and not item.date:
            item.date = date
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as progress, interruptible() as check_interrupt:
        task = progress.add_task("ingest", total=len(items), rate="-")
        done: dict[str, int] = {}

        def tick(name: str, status: str) -> None:
            done[status] = done.get(status, 0) + 1
            progress.advance(task)
            t = progress.tasks[0]
            progress.update(task, rate=f"{(t.completed / t.elapsed):.1f}" if t.elapsed else "-")
            if status == "failed":
                progress.console.print(f"frontwatch: failed {name}", markup=False)
            check_interrupt()  # after counting: this document is stored

        report: IngestReport
        try:
            if cluster is not None or workers is not None:
                from ..store.distributed import ingest_distributed

                report = ingest_distributed(store, items, cluster=cluster, workers=workers, on_progress=tick,
                                            min_confidence=threshold)
            else:
                report = run_ingest(store, items, jobs=jobs, on_progress=tick, min_confidence=threshold)
        except FrontwatchError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:  # each document is its own transaction: say what is stored
            so_far = ", ".join(f"{n} {status}" for status, n in sorted(done.items())) or "nothing"
            err.print(f"frontwatch: interrupted after {sum(done.values())} of {len(items)} documents "
                      f"({so_far}) -> {store.display_url}; each stored document is complete, run the same "
                      "command again to ingest the rest", markup=False)
            raise typer.Exit(130) from None
    for name, reason in report.failed:
        err.print(f"frontwatch: skipped {name}: {reason}", markup=False)
    err.print(f"frontwatch: {len(report.new)} new, {len(report.unchanged)} unchanged, "
              f"{len(report.updated)} updated, {len(report.failed)} failed -> {store.display_url}",
              markup=False)
    if report.processed == 0:
        raise typer.Exit(1)


def stats(db: Db = None, as_json: Json = False) -> None:
    """Counts of documents, entities, claims and evidence in the store."""
    from ..store.queries import stats as get_stats

    data = read_store(db, get_stats)
    if as_json:
        out.print(json.dumps(data, indent=2), markup=False)
        return
    table = Table(title="frontwatch store")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("documents", "publishers", "entities", "claims", "evidence"):
        table.add_row(key, str(data[key]))
    for group in ("entities_by_type", "claims_by_predicate", "claims_by_stance", "evidence_by_stance",
                  "claims_by_review"):
        for k, v in sorted(data[group].items()):
            table.add_row(f"  {group.split('_by_')[0]} {k}", str(v))
    out.print(table)


class _EntityGroup(TyperGroup):
    """`frontwatch entity NAME` shows an entity; `merge` and `split` are subcommands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


entity_app = typer.Typer(cls=_EntityGroup, help="Show an entity (`entity NAME`), merge or split entities.",
                         no_args_is_help=True)


@entity_app.command("show")
def entity_show(name: Annotated[str, typer.Argument(help="Name, alias or id.")], db: Db = None,
                as_json: Json = False) -> None:
    """Type, aliases, and claims in and out of an entity, with stance, tactic and sources."""
    from ..store.queries import entity_profile

    prof = read_store(db, lambda session: entity_profile(session, name))
    if as_json:
        out.print(json.dumps(prof, indent=2, default=str), markup=False)
        return
    out.print(f"[bold]{prof['name']}[/bold] ({prof['type']}, id {prof['id']}, in {prof['documents']} "
              f"documents, review: {prof['review_status']})")
    if prof["aliases"]:
        out.print("also: " + "; ".join(prof["aliases"]), markup=False)
    if prof["publishers"]:
        out.print("published by: " + "; ".join(prof["publishers"]), markup=False)
    for title, key in (("Claims made about others", "claims_out"), ("Claims about it", "claims_in"),
                       ("Claims it makes as accuser (sources attributed to it)", "accuses")):
        if prof[key]:
            out.print(claims_table(prof[key], title))
    if prof["document_list"]:
        docs = Table(title="Documents it appears in")
        for col in ("id", "document", "title", "publisher", "published"):
            docs.add_column(col, overflow="fold")
        for d in prof["document_list"]:
            docs.add_row(str(d["id"]), d["key"], d["title"] or "-", d["publisher"] or "-",
                         d["published"] or "-")
        out.print(docs)


@entity_app.command("merge")
def entity_merge(keep: Annotated[str, typer.Argument(help="The entity that stays (name or id).")],
                 gone: Annotated[str, typer.Argument(help="The entity merged into it.")],
                 db: Db = None, by: By = None) -> None:
    """Merge GONE into KEEP (one real-world actor). Reversible with `frontwatch undo ID`."""
    from ..store.curation import merge

    entry = write_store(db, lambda s: merge(s, keep, gone, actor(by)).id)
    out.print(f"merged; audit entry {entry} (undo with: frontwatch undo {entry})", markup=False)


@entity_app.command("split")
def entity_split(
    name: Annotated[str, typer.Argument(help="The entity to split (name or id).")],
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Move its mentions in this document.")
                   ] = None,
    form: Annotated[list[str] | None, typer.Option("--form", help="Move mentions written this way.")] = None,
    new_name: Annotated[str | None, typer.Option("--name", help="Name of the new entity.")] = None,
    db: Db = None, by: By = None,
) -> None:
    """Move some of an entity's mentions (by document or surface form) to a new entity. Reversible."""
    from ..store.curation import split

    if not doc and not form:
        err.print("frontwatch: give --doc or --form to say which mentions move", markup=False)
        raise typer.Exit(2)
    entry = write_store(db, lambda s: split(s, name, documents=doc or [], forms=form or [],
                                            new_name=new_name, actor=actor(by)).id)
    out.print(f"split; audit entry {entry} (undo with: frontwatch undo {entry})", markup=False)


def claims(
    db: Db = None,
    about: Annotated[str | None, typer.Option("--about", help="Claims with this entity on either end.")
                     ] = None,
    predicate: Annotated[str | None, typer.Option("--predicate", help="Only this predicate. " + help_text(
        "predicate"))] = None,
    stance: Annotated[str | None, typer.Option(
        "--stance", help="asserted, alleged or denied: a source with that stance; contested: denied by one "
        "source and asserted or alleged by another (the same as the graph and export filters).")] = None,
    tactic: Annotated[str | None, typer.Option("--tactic", help="Only this tactic. " + help_text("tactic"))
                      ] = None,
    min_sources: Annotated[int, typer.Option("--min-sources", min=1, help="Distinct documents.")] = 1,
    since: Annotated[str | None, typer.Option(
        "--since", help="YYYY-MM-DD: claims dated on or after (event dates, else published days).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD: claims dated on or before.")
                     ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    as_json: Json = False,
) -> None:
    """Claims with corroboration: how many documents assert, allege and deny each and who, publishers,
    dates (event dates from the sentences, else published days)."""
    from ..store.queries import list_claims

    if predicate and predicate not in PREDICATES:
        err.print(f"frontwatch: unknown predicate '{predicate}' (one of {', '.join(PREDICATES)})",
                  markup=False)
        raise typer.Exit(2)
    if stance and stance not in STANCE_FILTERS:
        err.print(f"frontwatch: unknown stance '{stance}' (one of {', '.join(STANCE_FILTERS)})", markup=False)
        raise typer.Exit(2)
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and (published_day(value) is None or len(value) != 10):
            err.print(f"frontwatch: {name} wants a date like 2023-06-30, not '{value}'", markup=False)
            raise typer.Exit(2)
    views = read_store(db, lambda session: list_claims(
        session, about=about, predicate=predicate, stance=stance, tactic=tactic,
        min_sources=min_sources, since=since, until=until, limit=limit))
    rows = [v.to_dict() for v in views]
    if as_json:
        out.print(json.dumps(rows, indent=2, default=str), markup=False)
    else:
        out.print(claims_table(rows, f"{len(rows)} claim{'' if len(rows) == 1 else 's'}"))


def claims_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("id", "subject", "predicate", "object", "stance", "sources by stance (by whom)", "tactic",
                "docs", "publishers", "date", "review"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), r["subject"], r["predicate"], r["object"], r["stance"],
                      stance_summary(r) or "-", r["tactic"] or "-", str(r["documents"]), str(r["publishers"]),
                      claim_date(r), r["review_status"])
    return table


def stance_summary(r: dict[str, Any]) -> str:
    """"asserted by 1; alleged by 3 (CSIS; RCMP); denied by 1 (China)": every stance its sources take."""
    parts = []
    for stance, who in (("asserted", r.get("asserted_by") or []), ("alleged", r["alleged_by"]),
                        ("denied", r["denied_by"])):
        n = (r.get("stance_counts") or {}).get(stance, 0)
        if n or who:
            parts.append(f"{stance} by {n}" + (f" ({'; '.join(who)})" if who else ""))
    return "; ".join(parts)


def claim_date(r: dict[str, Any]) -> str:
    """"2022-06 (event)", "2023-04-17 (published)", or "-" when unknown."""
    span = period_label(r.get("first_seen"), r.get("last_seen"))
    return f"{span} ({r.get('date_source') or '?'})" if span else "-"
