"""E-mail readers: one message (.eml) or a mailbox (.mbox), quoted replies removed."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from ..errors import SourceError
from ..sources._common import check_text_bytes, normalise_text, short_message
from .parse import Conversation, Message, done

_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}|_{10,}|"
    r"(?:from|de|von):\s.+\n(?:sent|date|envoy\u00e9|gesendet|to):\s)", re.IGNORECASE | re.MULTILINE)
_WROTE = re.compile(r"^(?:on|le|am|el)\s.{0,300}?(?:wrote|a \u00e9crit|schrieb|escribi\u00f3)\s*:\s*$",
                    re.IGNORECASE | re.MULTILINE | re.DOTALL)


def strip_quoted(body: str) -> str:
    """The new text of a reply: quoted lines ('>') and everything from "On ... wrote:" removed."""
    body = normalise_text(body)
    cut = len(body)
    for pattern in (_QUOTE_START, _WROTE):
        m = pattern.search(body)
        if m and m.start() < cut:
            cut = m.start()
    kept = [ln.rstrip() for ln in body[:cut].split("\n") if not ln.lstrip().startswith(">")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


class _HTMLText(HTMLParser):
    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"})
    _SKIP = frozenset({"script", "style", "head", "blockquote"})  # blockquote: the quoted reply

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        if tag in self._SKIP or "gmail_quote" in classes or (tag == "div" and self.skip):
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip and (tag in self._SKIP or tag == "div"):
            self.skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML mail body, without quoted replies."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(ln.split()) for ln in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _mail_body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload or "")
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return strip_quoted(content)


def _mail_date(msg: EmailMessage, fallback: str | None = None) -> datetime | None:
    for raw in (msg.get("Date"), fallback):
        if raw:
            try:
                when = parsedate_to_datetime(str(raw))
            except (TypeError, ValueError, IndexError):
                continue
            return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def _body_line(raw: bytes) -> int:
    """1-based line where the body starts (after the blank line that ends the headers)."""
    end = re.search(rb"\r?\n\r?\n", raw)
    return raw[: end.start()].count(b"\n") + 3 if end else 1


def _mail(raw: bytes, source: str, first_line: int, fallback_date: str | None = None
          ) -> tuple[str, str, datetime | None, str, int]:
    """(address, display name, date, text, line) of one message; raises when it is not a message."""
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        name, addr = parseaddr(str(msg.get("From") or ""))
    except Exception as exc:  # the parser is lenient; a header it cannot decode is still bad input
        raise SourceError(source, f"malformed e-mail ({short_message(exc)})") from None
    if not isinstance(msg, EmailMessage) or not (name or addr):
        raise SourceError(source, f"malformed e-mail (no From header in the message at line {first_line})")
    return (addr or name).lower(), name or addr, _mail_date(msg, fallback_date), _mail_body(msg), \
        first_line + _body_line(raw) - 1


def parse_eml(raw: bytes, source: str) -> Conversation:
    """One e-mail: its sender, date and new text (quoted replies removed)."""
    check_text_bytes(source, raw)
    if not re.match(rb"\s*[\w-]+:", raw):
        raise SourceError(source, "malformed e-mail (does not start with a header line)")
    _addr, name, when, text, line = _mail(raw.lstrip(b"\r\n"), source, 1)
    return done(Conversation(source, [Message(name, when, text, line)] if text else [], "eml"),
                 "an e-mail with a text body")


_FROM_LINE = re.compile(rb"^From \S*.*$", re.MULTILINE)


def parse_mbox(raw: bytes, source: str) -> Conversation:
    """Every message of a mailbox, split on "From " lines as the mailbox module does, oldest first."""
    check_text_bytes(source, raw)
    raw = normalise_text(raw.decode("latin-1")).encode("latin-1")
    starts = [m.start() for m in _FROM_LINE.finditer(raw)]
    if not starts or raw[: starts[0]].strip():
        raise SourceError(source, "malformed mbox (does not start with a 'From ' line)")
    mails = []
    for k, start in enumerate(starts):
        chunk = raw[start: starts[k + 1] if k + 1 < len(starts) else len(raw)]
        from_line, _, rest = chunk.partition(b"\n")
        stamp = " ".join(from_line.decode("latin-1").split()[2:]) or None
        first = raw[:start].count(b"\n") + 2
        mails.append(_mail(rest, source, first, stamp))
    names: dict[str, str] = {}
    for addr, name, *_ in mails:
        if name != addr or addr not in names:
            names.setdefault(addr, name)
    order = sorted(range(len(mails)), key=lambda i: (_sort_key(mails[i][2]), i))
    messages = [Message(names[mails[i][0]], mails[i][2], mails[i][3], mails[i][4])
                for i in order if mails[i][3]]
    return done(Conversation(source, messages, "mbox"), "messages with a text body")


def _sort_key(when: datetime | None) -> float:
    return when.timestamp() if when else float("inf")
