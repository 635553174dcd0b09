"""Review commands: review a claim or entity, read the audit log, undo an entry."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from .store import By, Db, Json, actor, out, read_store, write_store


def review(
    kind: Annotated[str, typer.Argument(help="claim or entity")],
    ident: Annotated[str, typer.Argument(help="Claim id, or entity id or name.")],
    status: Annotated[str, typer.Argument(help="accepted, rejected or pending (edits make it 'edited').")],
    predicate: Annotated[str | None, typer.Option("--predicate", help="Correct a claim's predicate.")] = None,
    tactic: Annotated[str | None, typer.Option("--tactic", help="Correct a claim's tactic.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Correct an entity's name.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Correct an entity's type.")] = None,
    db: Db = None, by: By = None,
) -> None:
    """Record an analyst's decision on a claim or an entity; ingest never overwrites it."""
    from ..store.curation import review as do_review

    if kind not in ("claim", "entity"):
        typer.echo("frontwatch: review what? 'claim' or 'entity'", err=True)
        raise typer.Exit(2)
    edits = {k: v for k, v in (("predicate", predicate), ("tactic", tactic), ("name", name),
                               ("type", type_)) if v}
    entry = write_store(db, lambda s: do_review(s, kind, ident, status, actor(by), edits).id)
    out.print(f"{kind} {ident}: {'edited' if edits else status}; audit entry {entry}", markup=False)


def audit(db: Db = None, limit: Annotated[int, typer.Option("--limit", min=1)] = 50, as_json: Json = False
          ) -> None:
    """The audit log of merges, splits, reviews and undos, newest first."""
    from ..store.curation import audit_log

    rows = read_store(db, lambda session: audit_log(session, limit))
    if as_json:
        out.print(json.dumps(rows, indent=2), markup=False)
        return
    table = Table(title="audit log")
    for col in ("id", "at", "actor", "action", "target", "undone by"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["at"][:19], r["actor"], r["action"], r["target"],
                      str(r["undone_by"] or ""))
    out.print(table)


def undo(entry: Annotated[int, typer.Argument(help="Audit entry id (see `frontwatch audit`).")],
         db: Db = None, by: By = None) -> None:
    """Reverse a merge, split or review recorded in the audit log."""
    from ..store.curation import undo as do_undo

    done = write_store(db, lambda s: do_undo(s, entry, actor(by)).id)
    out.print(f"undone entry {entry}; audit entry {done}", markup=False)
