"""Checks every loader shares: size, emptiness, binary content, UTF-8, and quiet libraries.

Each check raises :class:`SourceError` with a one-line reason, so the loaders stay short and
every bad input produces the same wording whatever its format.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frontwatch.errors import SourceError

SNIFF_BYTES = 8192  # how much of a file the binary check looks at
# Bytes that never appear in real text.  Tab, LF, VT, FF, CR, backspace (man-page overstrike) and
# ESC (ANSI colours in logs) are allowed; NUL is handled separately as a sure sign of binary.
_CONTROL_BYTES = (frozenset(range(0x20)) - {0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}) | {0x7F}
_CONTROL_RATIO = 0.05  # real text has next to none; random binary data has about 10%
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# A lone surrogate ("\ud800" in JSON, or a name decoded with surrogateescape) is not Unicode text:
# UTF-8 cannot encode it, so it would crash spaCy, SQLite and every output writer later on.
_SURROGATE = re.compile("[\ud800-\udfff]")


def short_message(exc: BaseException, limit: int = 100) -> str:
    """A library exception as one short line (its own text, else its class name)."""
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= limit else msg[: limit - 3].rstrip() + "..."


def os_reason(exc: OSError) -> str:
    """'permission denied' rather than "[Errno 13] Permission denied: '/x'" (the path is added once)."""
    return (exc.strerror or short_message(exc)).lower()


def format_size(n: int) -> str:
    """Decimal units, as file managers show them: 52428800 bytes is '52.4 MB'."""
    if n >= 100_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} bytes"


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read a regular file, refusing before reading anything if it is empty or too large."""
    where = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SourceError(where, "no such file or directory") from None
    except OSError as exc:
        raise SourceError(where, os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceError(where, "is a directory")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        raise SourceError(where, "not a regular file")
    if st.st_size > max_bytes:
        raise SourceError(where, _too_large(st.st_size, max_bytes))
    if st.st_size == 0:
        raise SourceError(where, "empty file")
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise SourceError(where, os_reason(exc)) from None
    if len(data) > max_bytes:
        raise SourceError(where, _too_large(max(len(data), st.st_size), max_bytes))
    if not data:
        raise SourceError(where, "empty file")
    return data


def _too_large(size: int, limit: int) -> str:
    return f"file too large ({format_size(size)}; limit {format_size(limit)})"


def check_text_bytes(where: str, data: bytes) -> None:
    """Refuse UTF-16 and binary content before trying to decode it as text."""
    if data.startswith(_UTF16_BOMS):  # UTF-16 is full of NULs; say what it really is
        raise SourceError(where, "not UTF-8 text (UTF-16 byte-order mark); convert it to UTF-8")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise SourceError(where, "binary file, not text")
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    if controls > _CONTROL_RATIO * len(head):
        raise SourceError(where, "binary file, not text")


def utf8_error(where: str, exc: UnicodeDecodeError, base: int = 0) -> SourceError:
    """The error for invalid UTF-8, naming the first bad byte and its offset in the file."""
    bad = exc.object[exc.start]
    return SourceError(
        where,
        f"not UTF-8 text (invalid byte 0x{bad:02x} at offset {base + exc.start}); convert it to UTF-8",
    )


def normalise_text(text: str) -> str:
    """Strip a byte-order mark and turn CRLF (and old-Mac CR) line ends into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_utf8(where: str, data: bytes) -> str:
    """Strict UTF-8 (never a guessed encoding), with the BOM and CRLFs removed."""
    check_text_bytes(where, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise utf8_error(where, exc) from None
    return normalise_text(text)


@contextmanager
def quiet_loggers(*names: str) -> Iterator[None]:
    """Silence libraries that log warnings about bad input; our SourceError already says it.

    Levels are restored afterwards so an application embedding frontwatch keeps its settings.
    """
    loggers = [logging.getLogger(name) for name in names]
    saved = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, saved, strict=True):
            lg.setLevel(level)


def surrogate_reason(value: str) -> str | None:
    """Why ``value`` is not valid Unicode text (a lone surrogate), or None if it is."""
    found = _SURROGATE.search(value)
    if found is None:
        return None
    return f"not valid Unicode (lone surrogate \\u{ord(found.group()):04x} at character {found.start()})"


def bad_string(value: object) -> str | None:
    """Why a decoded JSON value holds a string that is not text (a lone surrogate), if it does."""
    stack = [value]
    while stack:  # no recursion: JSON may nest deeper than Python's stack
        item = stack.pop()
        if isinstance(item, str):
            reason = surrogate_reason(item)
            if reason:
                return reason
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def check_unicode(where: str, **fields: str | None) -> None:
    """Refuse a record whose named string fields hold a lone surrogate, naming the field."""
    for name, value in fields.items():
        reason = surrogate_reason(value) if value else None
        if reason:
            raise SourceError(where, f"'{name}' is {reason}")


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as one printable line: bytes that are not UTF-8 in a file name become ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def bad_file_name(path: str | os.PathLike[str]) -> SourceError | None:
    """The error for a file name that is not valid UTF-8 (decoded with surrogateescape), if it is one."""
    if surrogate_reason(os.fspath(path)) is None:
        return None
    return SourceError(display_path(path), "file name is not valid UTF-8 (rename the file)")
