"""The `frontwatch` command line (Typer)."""

from __future__ import annotations

import errno
import os
import sys

import typer

from .exchange import export, import_app
from .extract import extract
from .graph import graph_app
from .review import audit, claims_app, notes, review, undo
from .screen import screen
from .store import entity_app, ingest, stats
from .web import serve, users_app

app = typer.Typer(
    name="frontwatch",
    help=("Turn reporting on foreign interference and transnational repression into an "
          "evidence-linked network."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(extract)
app.command()(ingest)
app.command()(stats)
app.add_typer(entity_app, name="entity")
app.add_typer(claims_app, name="claims")
app.command()(review)
app.command()(notes)
app.command()(audit)
app.command()(undo)
app.add_typer(graph_app, name="graph")
app.command()(export)
app.add_typer(import_app, name="import")
app.command()(screen)
app.command()(serve)
app.add_typer(users_app, name="users")


@app.callback()
def _root() -> None:
    """frontwatch: extract actors and evidence-backed claims from reporting on foreign interference."""


def main() -> None:
    """Console-script entry point."""
    # The pipeline's matrices are small: OpenBLAS's thread pool costs more than it gains (76 against
    # 86 ms a document, measured) and `--jobs` processes would oversubscribe the cores. Set before
    # numpy loads; a value the user set wins.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        app()
    except OSError as exc:  # writing the output failed (a full disk, a closed pipe): one line, no traceback
        _quiet_stdout()
        if exc.errno != errno.EPIPE:  # `frontwatch claims | head` is not an error worth a line
            where = exc.filename or "standard output"
            print(f"frontwatch: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit does not fail a second time."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
