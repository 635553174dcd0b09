"""Read conversation exports into one :class:`Conversation`.

Formats: plain text ("Name: message" lines), WhatsApp .txt exports (Android and iOS forms), one
e-mail (.eml), a mailbox (.mbox: every message, in date order) and JSON (a list of
``{"sender", "time", "text"}`` objects; the e-mail readers are in :mod:`.mail`).  Every problem surfaces as a
:class:`~frontwatch.errors.SourceError` whose ``str`` is one line naming the source and the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import SourceError
from ..sources._common import decode_utf8, display_path, read_limited, short_message, surrogate_reason

MAX_BYTES = 5_000_000  # 5 MB: far above any chat, small enough to screen in a second or two
FORMATS = ("text", "whatsapp", "eml", "mbox", "json")
SUFFIX_FORMAT = {".txt": "text", ".text": "text", ".eml": "eml", ".mbox": "mbox", ".json": "json"}
_EXPECTED = "expected .txt, .eml, .mbox or .json"


@dataclass(frozen=True, slots=True)
class Message:
    """One message: who sent it, when (if known), its text and the line where it starts."""

    sender: str
    time: datetime | None
    text: str
    line_no: int


@dataclass(slots=True)
class Conversation:
    """The messages of one conversation in order; ``format`` is the reader that produced it."""

    source: str
    messages: list[Message] = field(default_factory=list)
    format: str = "text"

    @property
    def senders(self) -> list[str]:
        """Distinct senders in order of first message."""
        return list(dict.fromkeys(m.sender for m in self.messages))


# --- plain text -------------------------------------------------------------------------------

_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPEAKER = re.compile(
    r"^\s*(?:\[(?P<ts>[^\]\n]{1,40})\]\s*)?(?P<name>[^\s:\[\]][^:\n]{0,39}?)\s*:(?:\s+(?P<text>.*))?$")
_NOT_IN_NAME = re.compile(r"[?!;\"<>{}=/\\|*#]|https?|,\s*$")


def _speaker(line: str) -> tuple[str, str, str | None] | None:
    m = _SPEAKER.match(line)
    if not m:
        return None
    name = m.group("name").strip()
    if len(name.split()) > 5 or _NOT_IN_NAME.search(name) or not any(c.isalpha() for c in name):
        return None
    return name, (m.group("text") or "").strip(), m.group("ts")


def parse_plain(text: str, source: str) -> Conversation:
    """"Name: message" lines; lines without a speaker continue the previous message."""
    lines = text.split("\n")
    found = [(i, _speaker(line)) for i, line in enumerate(lines)]
    counts: dict[str, int] = {}
    for _, sp in found:
        if sp:
            counts[sp[0]] = counts.get(sp[0], 0) + 1
    # A label seen once inside a long chat ("Salary: 120k") is part of a message, not a speaker.
    recurring = {n for n, c in counts.items() if c >= 2}
    speakers = recurring if len(recurring) >= 2 else set(counts)
    out: list[tuple[str, datetime | None, list[str], int]] = []
    for i, sp in found:
        if sp and sp[0] in speakers:
            when = _parse_stamp(sp[2], day_first=True) if sp[2] else None
            out.append((sp[0], when, [sp[1]], i + 1))
        elif out:
            out[-1][2].append(lines[i].strip())
    messages = [Message(s, t, _join(ls), n) for s, t, ls, n in out]
    return done(Conversation(source, [m for m in messages if m.text], "text"), "'Name: message' lines")


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip()


def done(conv: Conversation, what: str) -> Conversation:
    """The conversation, or an error when it has no messages."""
    if not conv.messages:
        raise SourceError(conv.source, f"no messages found (expected {what})")
    return conv


# --- WhatsApp ---------------------------------------------------------------------------------

_WA_STAMP = (r"(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}),?\s+"  # date, then time with optional seconds, AM/PM
             r"(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?)")
_WA_IOS = re.compile(rf"^\[{_WA_STAMP}\]\s+(.*)$")  # [12/03/2024, 14:05:07] Name: text
_WA_ANDROID = re.compile(rf"^{_WA_STAMP}\s+[-\u2013]\s+(.*)$")  # 12/03/2024, 14:05 - Name: text
_WA_PLACEHOLDER = re.compile(
    r"^(?:<media omitted>|(?:image|video|audio|sticker|gif|document|contact card) omitted|"
    r"this message was deleted|you deleted this message|null|<attached: [^>]*>|missed (?:voice|video) call)$",
    re.IGNORECASE)
# iOS writes system notices as messages "from" the chat, starting with a left-to-right mark.
_WA_SYSTEM = re.compile(r"end-to-end encrypted|created (?:the )?group|changed (?:the subject|this group|"
                        r"the group)|security code|joined using|\badded\b|\bleft\b|\bremoved\b|"
                        r"disappearing messages|changed their phone number", re.IGNORECASE)


def _clean(line: str) -> str:
    return _BIDI.sub("", line.replace("\u202f", " ").replace("\u00a0", " "))


def _wa_match(line: str) -> re.Match[str] | None:
    return _WA_IOS.match(line) or _WA_ANDROID.match(line)


def looks_like_whatsapp(text: str) -> bool:
    """True when a good share of the lines start with a WhatsApp date and time."""
    lines = [ln for ln in text.split("\n") if ln.strip()][:400]
    hits = sum(1 for ln in lines if _wa_match(_clean(ln)))
    return hits >= 1 and hits >= 0.2 * len(lines)


def parse_whatsapp(text: str, source: str) -> Conversation:
    """A WhatsApp "Export chat" file; system lines and media placeholders are left out."""
    rows: list[tuple[int, str, str, str | None]] = []  # line_no, stamp, sender, text (None: system line)
    dates = []
    for i, raw in enumerate(text.split("\n")):
        line = _clean(raw)
        m = _wa_match(line)
        if not m:
            if rows and rows[-1][3] is not None:
                n, stamp, sender, body = rows[-1]
                rows[-1] = (n, stamp, sender, f"{body}\n{line.strip()}")
            continue
        dates.append(m.group(1))
        sender, sep, body = m.group(3).partition(": ")
        marked = bool(re.search(r":\s*\u200e", raw))
        if (not sep or len(sender) > 50 or not sender.strip() or "end-to-end encrypted" in body
                or _WA_SYSTEM.search(sender) or "\"" in sender
                or (marked and _WA_SYSTEM.search(body))):
            rows.append((i + 1, "", "", None))  # a system line: ends the previous message
            continue
        rows.append((i + 1, f"{m.group(1)} {m.group(2)}", sender.strip(), body.strip()))
    day_first = _day_first(dates)
    messages = [Message(s, _parse_stamp(stamp, day_first), body.strip(), n) for n, stamp, s, body in rows
                if body is not None and body.strip() and not _WA_PLACEHOLDER.match(body.strip())]
    return done(Conversation(source, messages, "whatsapp"), "WhatsApp export lines")


def _day_first(dates: list[str]) -> bool:
    parts = [re.split(r"[./-]", d) for d in dates]
    if any(int(p[0]) > 12 for p in parts if len(p[0]) < 3):
        return True
    return not any(int(p[1]) > 12 for p in parts if len(p[0]) < 3)


_STAMP = re.compile(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4}),?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
                    r"\s?(?:([AaPp])\.?\s?[Mm]\.?)?")


def _parse_stamp(stamp: str, day_first: bool) -> datetime | None:
    m = _STAMP.search(stamp)
    if not m:
        return None
    a, b, c, hh, mm, ss, ampm = m.groups()
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        day, month = (int(a), int(b)) if day_first else (int(b), int(a))
        year = int(c) + (2000 if len(c) <= 2 else 0)
    hour = int(hh)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    try:
        return datetime(year, month, day, hour, int(mm), int(ss or 0))
    except ValueError:
        return None


# --- JSON -------------------------------------------------------------------------------------

_KEYS = {"sender": ("sender", "from", "author"), "text": ("text", "message", "body", "content"),
         "time": ("time", "date", "timestamp")}


def _pick(item: dict[str, object], key: str) -> object:
    return next((item[k] for k in _KEYS[key] if k in item and item[k] is not None), None)


def _json_time(value: object) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        secs = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(secs, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return _parse_stamp(value, day_first=True)
    return None


def parse_json(text: str, source: str) -> Conversation:
    """A JSON list of {"sender", "time", "text"} objects ("from"/"author", "message"/"body" also read)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            source, f"malformed JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # absurd nesting, huge numbers
        raise SourceError(source, f"malformed JSON ({short_message(exc)})") from None
    if not isinstance(data, list):
        raise SourceError(source, 'malformed JSON (expected a list of {"sender", "time", "text"} objects)')
    bracket = text.index("[")
    decoder, pos, line, lines = json.JSONDecoder(), bracket + 1, 1 + text.count("\n", 0, bracket), []
    for _ in data:  # the line each item starts on
        start = pos
        while text[pos] in " \t\n,":
            pos += 1
        line += text.count("\n", start, pos)
        lines.append(line)
        _, end = decoder.raw_decode(text, pos)
        line += text.count("\n", pos, end)
        pos = end
    messages = []
    for n, (item, line_no) in enumerate(zip(data, lines, strict=True), start=1):
        sender = _pick(item, "sender") if isinstance(item, dict) else None
        body = _pick(item, "text") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(sender, str | int) or not isinstance(body, str):
            raise SourceError(source, f'malformed JSON (item {n} needs "sender" and "text" strings)')
        if body.strip():
            when = _json_time(_pick(item, "time"))
            messages.append(Message(str(sender).strip(), when, body.strip(), line_no))
    return done(Conversation(source, messages, "json"), 'a list of {"sender", "time", "text"} objects')


# --- entry points -----------------------------------------------------------------------------

def format_for(path: Path) -> str:
    """The reader a file's extension selects; raises for anything else."""
    fmt = SUFFIX_FORMAT.get(path.suffix.lower())
    if fmt is None:
        kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
        raise SourceError(str(path), f"unsupported file type {kind} ({_EXPECTED})")
    return fmt


def _check_text(conv: Conversation) -> Conversation:
    """Refuse a conversation with a lone surrogate ("\\ud800" in JSON, an undecodable mail header):
    it is not text, and no report or JSON answer could encode it."""
    for n, msg in enumerate(conv.messages, start=1):
        reason = surrogate_reason(msg.sender) or surrogate_reason(msg.text)
        if reason:
            raise SourceError(conv.source, f"message {n} (line {msg.line_no}) is {reason}")
    return conv


def parse_bytes(raw: bytes, fmt: str, source: str) -> Conversation:
    """A conversation from the bytes of an export.  ``fmt`` "text" also recognises WhatsApp exports."""
    return _check_text(_parse_bytes(raw, fmt, source))


def _parse_bytes(raw: bytes, fmt: str, source: str) -> Conversation:
    if fmt not in FORMATS:
        raise SourceError(source, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if not raw.strip():
        raise SourceError(source, "empty file")
    if len(raw) > MAX_BYTES:
        raise SourceError(source, f"too large ({len(raw) / 1e6:.1f} MB; limit {MAX_BYTES / 1e6:.0f} MB)")
    if fmt in ("eml", "mbox"):
        from .mail import parse_eml, parse_mbox  # the e-mail readers live in their own module

        return (parse_eml if fmt == "eml" else parse_mbox)(raw, source)
    text = decode_utf8(source, raw)
    if fmt == "json":
        return parse_json(text, source)
    if fmt == "whatsapp" or looks_like_whatsapp(text):
        return parse_whatsapp(text, source)
    return parse_plain(text, source)


def read_conversation(path: str | Path) -> Conversation:
    """Read one export file; its extension selects the reader (.txt: plain text or WhatsApp)."""
    path = Path(path)
    where = display_path(path)  # a name that is not UTF-8 is still named, as one printable line
    if where != str(path):
        raise SourceError(where, "file name is not valid UTF-8 (rename the file)")
    fmt = format_for(path)
    try:
        return parse_bytes(read_limited(path, MAX_BYTES), fmt, where)
    except SourceError:
        raise
    except Exception as exc:  # a bug or an unforeseen library error: still one line
        raise SourceError(where, f"could not read ({type(exc).__name__}: {short_message(exc)})") from None
