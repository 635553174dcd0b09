"""Outputs never overwrite inputs: `extract F.jsonl --out F.jsonl` and `export -o STORE --db STORE` are
refused with one line (exit status 2, a usage error) before anything is opened for writing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import typer

# files SQLite keeps beside a store, and the lock file of its migrations
STORE_COMPANIONS = ("", "-wal", "-shm", "-journal", ".lock")


def same_file(a: Path, b: Path) -> bool:
    """The same file, through symlinks, hard links or `..`; or the same path when one does not exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _refuse(message: str) -> typer.Exit:
    typer.echo(f"frontwatch: {message}", err=True)
    return typer.Exit(2)


def check_extract_output(out: Path | None, inputs: Sequence[Path]) -> None:
    """Refuse an --out that is one of the input files or lies inside an input folder."""
    if out is None:
        return
    for source in inputs:
        if source.is_dir():
            if _inside(out, source):
                raise _refuse(f"refusing to write {out}: it is inside the input folder {source}")
        elif same_file(out, source):
            raise _refuse(f"refusing to write {out}: it is the input {source}")


def check_store_output(targets: Iterable[Path], store: Path | None) -> None:
    """Refuse to write any of `targets` over a SQLite store (or its -wal, -shm or .lock file)."""
    if store is None:
        return
    for target in targets:
        for suffix in STORE_COMPANIONS:
            if same_file(target, store.with_name(store.name + suffix)):
                raise _refuse(f"refusing to write {target}: it is the store {store}{suffix}")
