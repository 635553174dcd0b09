"""`frontwatch screen`: check conversations for the approach pattern of intelligence recruitment."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import FrontwatchError, SourceError

err = Console(stderr=True, highlight=False, soft_wrap=True)


class Country(StrEnum):
    """Countries with reporting advice (frontwatch/data/screen/reporting.yaml)."""

    CA = "CA"
    US = "US"
    UK = "UK"
    AU = "AU"
    NZ = "NZ"


def _say(message: str) -> None:
    err.print(message, markup=False, emoji=False, soft_wrap=True)


def screen(
    files: Annotated[list[Path], typer.Argument(help="Conversation exports: .txt (\"Name: message\" lines or "
                                                     "a WhatsApp export), .eml, .mbox or .json.")],
    country: Annotated[Country | None, typer.Option(
        "--country", case_sensitive=False,
        help="Where you are, for where to report (CA, US, UK, AU, NZ).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON list (one object per file).")] = False,
) -> None:
    """Screen conversations for the approach pattern of intelligence recruitment.

    Looks for the warning signs that CSIS, MI5/NPSA and the FBI ("Think Before You Link"), ASIO and
    NZSIS describe: an unsolicited contact, a quick move to WhatsApp, WeChat, Telegram, Signal or a
    personal e-mail, paid "reports", requests that grow, paid travel, secrecy, a "client" who is a
    state official, unusual payment, and questions about colleagues, access or clearance.  Only the
    words of the person who made contact count.  For each file: the signs with the lines that show
    them, a level (none, low, elevated, high) with reasons, and advice on where to report.
    Nothing is stored or sent.  Unreadable files get one line on stderr and the rest are still
    screened; exit status 0 when at least one file was screened, 1 when none could be read.
    """
    from ..screen import read_conversation
    from ..screen.detect import screen_conversation
    from ..screen.report import render, to_dict

    code = country.value if country else None
    out = Console(highlight=False, soft_wrap=False)
    results: list[dict[str, Any]] = []
    for path in files:
        try:
            conversation = read_conversation(path)
        except SourceError as exc:
            _say(f"frontwatch: skipped {exc}")
            continue
        try:
            data = to_dict(screen_conversation(conversation), code)
        except FrontwatchError as exc:  # the model or a data file is missing: no file can be screened
            _say(f"frontwatch: {exc}")
            raise typer.Exit(1) from None
        results.append(data)
        if not as_json:
            render(out, data)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    if not results:
        _say("frontwatch: no conversation could be read")
        raise typer.Exit(1)
