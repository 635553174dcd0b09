"""Review commands: review a claim or entity, add or edit claims, notes, read the audit log, undo."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from ..model import ENTITY_TYPES
from ..vocab_docs import help_text
from .store import By, Db, Json, actor, claims, claims_table, err, out, read_store, write_store

PREDICATE_HELP = "What the subject does to the object (docs/vocabulary.md). " + help_text("predicate")
STANCE_HELP = "How the document says it. " + help_text("stance")
TACTIC_HELP = "The kind of interference (docs/vocabulary.md). " + help_text("tactic")


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
    for col in ("id", "at", "actor", "action", "target", "change", "undone by"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["id"]), r["at"][:19], r["actor"], r["action"], r["target"], _change(r),
                      str(r["undone_by"] or ""))
    out.print(table)


def _change(row: dict[str, Any]) -> str:
    """What an added or edited claim or a note read before and after, by name."""
    after = row.get("after") or {}
    before = row.get("before") or {}

    def show(value: Any) -> str:
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        return str(value) if value else "-"

    return "; ".join(f"{k}: {show(before[k])} -> {show(v)}" if k in before else f"{k}: {show(v)}"
                     for k, v in after.items() if k != "sentence")


def undo(entry: Annotated[int, typer.Argument(help="Audit entry id (see `frontwatch audit`).")],
         db: Db = None, by: By = None) -> None:
    """Reverse a merge, split or review recorded in the audit log."""
    from ..store.curation import undo as do_undo

    done = write_store(db, lambda s: do_undo(s, entry, actor(by)).id)
    out.print(f"undone entry {entry}; audit entry {done}", markup=False)


class _ClaimsGroup(TyperGroup):
    """`frontwatch claims [--about X ...]` lists claims; `add` and `edit` are subcommands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["list", *args]
        return super().parse_args(ctx, args)


claims_app = typer.Typer(cls=_ClaimsGroup, help="List claims (`claims --about X ...`), add one read in a "
                         "document's sentence, or edit any field of one. Predicates, stances and tactics: "
                         "`claims add --help` and docs/vocabulary.md.")
claims_app.command("list")(claims)
Opt = Annotated[str | None, typer.Option(show_default=False)]
EntityTypeOpt = Annotated[str | None, typer.Option(
    help=f"Create the entity with this type when none has that name ({', '.join(ENTITY_TYPES)}).",
    show_default=False)]


@claims_app.command("add")
def claims_add(
    document: Annotated[str, typer.Option("--document", help="The document's id or key.")],
    sentence: Annotated[str, typer.Option("--sentence", help="The sentence, as the document has it.")],
    subject: Annotated[str, typer.Option("--subject", help="Entity name or id.")],
    predicate: Annotated[str, typer.Option("--predicate", help=PREDICATE_HELP)],
    object_: Annotated[str, typer.Option("--object", help="Entity name or id.")],
    stance: Annotated[str, typer.Option("--stance", help=STANCE_HELP)] = "alleged",
    attributed_to: Annotated[str | None, typer.Option("--attributed-to", help="Who makes the claim.",
                                                      show_default=False)] = None,
    tactic: Annotated[str | None, typer.Option("--tactic", help=TACTIC_HELP, show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it happened: YYYY, YYYY-MM or YYYY-MM-DD.",
                                             show_default=False)] = None,
    subject_type: EntityTypeOpt = None, object_type: EntityTypeOpt = None,
    db: Db = None, by: By = None, as_json: Json = False,
) -> None:
    """Add a claim read in a sentence of a stored document; audited, reversible with `undo`, and kept
    whatever a later ingest brings."""
    from ..store.manual import add_claim
    from ..store.queries import claim_views
    from ..store.schema import ClaimRow

    def work(session: Any) -> tuple[int, dict[str, Any]]:
        entry = add_claim(session, document=document, sentence=sentence, subject=subject, predicate=predicate,
                          object_=object_, actor=actor(by), stance=stance, attributed_to=attributed_to,
                          tactic=tactic, date=date, subject_type=subject_type, object_type=object_type)
        row = session.get(ClaimRow, entry.detail["claim"])
        return entry.id, claim_views(session, [row])[0].to_dict()

    entry, view = write_store(db, work)
    _show_change(view, entry, "added", as_json)


@claims_app.command("edit")
def claims_edit(
    claim: Annotated[int, typer.Argument(help="The claim's id.", min=1, max=2_147_483_647)],
    subject: Annotated[str | None, typer.Option("--subject", help="Entity name or id.",
                                                show_default=False)] = None,
    predicate: Annotated[str | None, typer.Option("--predicate", help=PREDICATE_HELP,
                                                  show_default=False)] = None,
    object_: Annotated[str | None, typer.Option("--object", help="Entity name or id.",
                                                show_default=False)] = None,
    stance: Annotated[str | None, typer.Option("--stance", help=STANCE_HELP, show_default=False)] = None,
    attributed_to: Annotated[str | None, typer.Option("--attributed-to", help="Who makes the claim ('' "
                                                      "clears it).", show_default=False)] = None,
    tactic: Annotated[str | None, typer.Option("--tactic", help=TACTIC_HELP + " '' clears it.",
                                               show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD ('' clears it).",
                                             show_default=False)] = None,
    document: Annotated[str | None, typer.Option(
        "--document", help="Change stance, attribution and date of this document's evidence only.",
        show_default=False)] = None,
    subject_type: EntityTypeOpt = None, object_type: EntityTypeOpt = None,
    db: Db = None, by: By = None, as_json: Json = False,
) -> None:
    """Change any field of a claim; audited with the claim before and after, reversible with `undo`,
    and kept whatever a later ingest brings."""
    from ..store.manual import edit_claim
    from ..store.queries import claim_views
    from ..store.schema import ClaimRow

    changes = {"subject": subject, "predicate": predicate, "object": object_, "stance": stance,
               "attributed_to": attributed_to, "tactic": tactic, "date": date}

    def work(session: Any) -> tuple[int, dict[str, Any]]:
        entry = edit_claim(session, claim, changes, actor(by), document=document, subject_type=subject_type,
                           object_type=object_type)
        return entry.id, claim_views(session, [session.get(ClaimRow, claim)])[0].to_dict()

    entry, view = write_store(db, work)
    _show_change(view, entry, "edited", as_json)


def _show_change(view: dict[str, Any], entry: int, what: str, as_json: bool) -> None:
    if as_json:
        out.print(json.dumps({"audit_id": entry, "claim": view}, indent=2, default=str), markup=False)
        return
    out.print(claims_table([view], f"claim {view['id']} {what}"))
    out.print(f"audit entry {entry} (undo with: frontwatch undo {entry})", markup=False)


def notes(
    kind: Annotated[str, typer.Argument(help="claim, entity or document")],
    ref: Annotated[str, typer.Argument(help="The claim's id, the entity's name or id, the document's id or "
                                       "key.")],
    add: Annotated[str | None, typer.Option("--add", help="Add this note.", show_default=False)] = None,
    db: Db = None, by: By = None, as_json: Json = False,
) -> None:
    """Notes on a claim, an entity or a document; --add writes one (audited, reversible with `undo`)."""
    from ..store.notes import add_note, note_target, notes_for

    if add is not None:
        entry = write_store(db, lambda s: add_note(s, kind, ref, add, actor(by)).id)
        err.print(f"note added; audit entry {entry} (undo with: frontwatch undo {entry})", markup=False)

    def read(session: Any) -> tuple[str, list[dict[str, Any]]]:
        ref_id, name = note_target(session, kind, ref)
        return name, notes_for(session, kind, ref_id)

    name, rows = read_store(db, read)
    if as_json:
        out.print(json.dumps(rows, indent=2), markup=False)
        return
    out.print(f"{len(rows)} notes on {kind} {name}", markup=False)
    for n in rows:
        out.print(f"- {n['created_at'][:16]} {n['author']}: {n['text']}", markup=False)
