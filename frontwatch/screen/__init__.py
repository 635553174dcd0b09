"""Screen a conversation for the approach pattern of intelligence recruitment that security services
warn about (MI5/NPSA and FBI/NCSC "Think Before You Link", CSIS, ASIO, NZSIS).

The functions return plain dicts (see :func:`frontwatch.screen.report.to_dict` and docs/screen.md).
Nothing is stored and nothing is sent anywhere.  Bad input raises
:class:`~frontwatch.errors.SourceError` (one line naming the source and the reason); an unknown
country raises ``ValueError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .parse import FORMATS, MAX_BYTES, Conversation, Message, parse_bytes, read_conversation

__all__ = ["FORMATS", "MAX_BYTES", "Conversation", "Message", "screen_conversation", "screen_file",
           "screen_text"]


def screen_conversation(conversation: Conversation, country: str | None = None) -> dict[str, Any]:
    """Screen an already parsed conversation."""
    from .advice import advice
    from .detect import screen_conversation as detect
    from .report import to_dict

    if country:
        advice("none", country)  # an unknown country fails before the model loads
    return to_dict(detect(conversation), country)


def screen_text(text: str, fmt: str = "text", country: str | None = None,
                source: str = "<text>") -> dict[str, Any]:
    """Screen a conversation given as text.

    ``fmt`` is one of "text" (plain "Name: message" lines; a pasted WhatsApp export is recognised),
    "whatsapp", "eml", "mbox" or "json".
    """
    return screen_conversation(parse_bytes(text.encode("utf-8"), fmt, source), country)


def screen_file(path: str | Path, country: str | None = None) -> dict[str, Any]:
    """Screen one export file; its extension (.txt, .eml, .mbox, .json) selects the reader."""
    return screen_conversation(read_conversation(path), country)
