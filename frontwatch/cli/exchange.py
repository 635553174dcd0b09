"""`frontwatch export` and `frontwatch import ...`: the network in the formats of the ecosystem."""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..errors import FrontwatchError, SourceError
from .graph import Accepted, MinSources, Predicate, Since, Stance, Tactic, Until, filters
from .paths import check_store_output
from .store import Db, err, fail, open_store, read_store

FORMATS = {"stix": ".json", "misp": ".misp.json", "ftm": ".ftm.json", "gexf": ".gexf", "graphml": ".graphml",
           "csv": "", "jsonl": ".jsonl"}


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="stix, misp, ftm, gexf, graphml, csv or jsonl.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (a folder for csv); default "
                                                "stdout (csv: ./frontwatch-csv).")] = None,
    predicate: Predicate = None, stance: Stance = None, tactic: Tactic = None, since: Since = None,
    until: Until = None, min_sources: MinSources = 1, accepted_only: Accepted = False, db: Db = None,
) -> None:
    """Export the (filtered) network: STIX 2.1 bundle, MISP event, FollowTheMoney entities, GEXF, GraphML,
    CSV (nodes.csv and edges.csv) or JSON Lines. Stance and attribution travel with every claim."""
    from ..graph.network import load_network
    from ..store.db import sqlite_path

    if fmt not in FORMATS:
        typer.echo(f"frontwatch: unknown format '{fmt}' (one of {', '.join(FORMATS)})", err=True)
        raise typer.Exit(2)
    f = filters(predicate, stance, tactic, since, until, min_sources, accepted_only)
    if fmt == "csv":
        folder = output or Path("frontwatch-csv")
        check_store_output([folder, folder / "nodes.csv", folder / "edges.csv"], sqlite_path(db))
    elif output is not None:
        check_store_output([output], sqlite_path(db))
    module = importlib.import_module(f"frontwatch.export.{fmt}")
    network = read_store(db, lambda session: load_network(session, f))
    try:
        if fmt == "csv":
            target = output or Path("frontwatch-csv")
            module.write(network, target)
        elif output is None:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"export{FORMATS[fmt]}"
                module.write(network, path)
                sys.stdout.write(path.read_text(encoding="utf-8"))
            return
        else:
            target = output
            module.write(network, target)
    except FrontwatchError as exc:
        raise fail(exc) from None
    except OSError as exc:
        err.print(f"frontwatch: cannot write {output or 'standard output'}: {exc.strerror}", markup=False)
        raise typer.Exit(1) from None
    err.print(f"frontwatch: {len(network.nodes)} entities, {len(network.edges)} claims -> {target}",
              markup=False)


import_app = typer.Typer(help="Import STIX 2.1 bundles, FollowTheMoney entities or tracker spreadsheets.",
                         no_args_is_help=True)


def _store(extractions: list, db: str | None, source: Path) -> None:  # type: ignore[type-arg]
    from ..store.ingest import store_extractions

    try:
        report = store_extractions(open_store(db, create=True), extractions)
    except FrontwatchError as exc:
        raise fail(exc) from None
    for name, reason in report.failed:
        err.print(f"frontwatch: skipped {name}: {reason}", markup=False)
    err.print(f"frontwatch: {source}: {len(report.new)} new, {len(report.unchanged)} unchanged, "
              f"{len(report.updated)} updated, {len(report.failed)} failed", markup=False)
    if report.processed == 0:
        raise typer.Exit(1)


@import_app.command("stix")
def import_stix(path: Annotated[Path, typer.Argument(help="A STIX 2.1 bundle (JSON).")],
                db: Db = None) -> None:
    """Import a STIX 2.1 bundle: one document per report, claims from relationships."""
    _import("stix", path, db)


@import_app.command("ftm")
def import_ftm(path: Annotated[Path, typer.Argument(help="FollowTheMoney entities (JSON Lines).")],
               db: Db = None) -> None:
    """Import FollowTheMoney entities: one document per Document entity, claims from links."""
    _import("ftm", path, db)


def _import(fmt: str, path: Path, db: str | None) -> None:
    """Read a file with `frontwatch.importers.<fmt>.read` and store what it holds."""
    reader = importlib.import_module(f"frontwatch.importers.{fmt}")
    skipped: list[SourceError] = []
    try:
        extractions = reader.read(path, skipped=skipped)
    except SourceError as exc:
        raise fail(exc) from None
    for bad in skipped:  # one line per bad record; the others are imported
        err.print(f"frontwatch: skipped {bad}", markup=False)
    _store(extractions, db, path)


@import_app.command("csv")
def import_csv(path: Annotated[Path, typer.Argument(help="A tracker spreadsheet (CSV).")],
               mapping: Annotated[Path, typer.Option(
                   "--mapping", help="Column mapping (YAML); one ships for DFRLab's FIAT: "
                   "frontwatch/data/mappings/dfrlab_fiat.yaml")],
               db: Db = None) -> None:
    """Import a tracker's spreadsheet: a claim per row from the mapped columns, plus what extraction
    finds in the description."""
    from ..importers.tracker_csv import read

    try:
        extractions = read(path, mapping)
    except SourceError as exc:
        raise fail(exc) from None
    _store(extractions, db, path)
