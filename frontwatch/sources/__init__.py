"""Read documents from files and folders: .txt, .md, .html/.htm, .pdf and .jsonl.

Every problem with an input surfaces as a :class:`~frontwatch.errors.SourceError` whose
``str`` is one line naming the file and the reason; library exceptions never leak out.

``load_file`` reads one file and raises on the first problem.  ``iter_documents`` walks
files and folders and *yields* problems alongside documents, so one bad file (or one bad
JSON line) does not stop a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources import html, jsonl, pdf, text
from frontwatch.sources._common import (
    bad_file_name,
    check_unicode,
    display_path,
    os_reason,
    read_limited,
    short_message,
)

__all__ = ["MAX_BYTES", "SUPPORTED_SUFFIXES", "iter_documents", "load_file"]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".jsonl"})
MAX_BYTES: int = 20_000_000  # 20 MB; far above any report, far below what would hurt memory

# Order as listed in the error message.
_EXPECTED = "expected .txt, .md, .html, .htm, .pdf or .jsonl"
_SINGLE: dict[str, Callable[[Path, bytes], Document]] = {
    ".txt": text.load,
    ".md": text.load,
    ".html": html.load,
    ".htm": html.load,
    ".pdf": pdf.load,
}


def _is_dir(path: Path) -> bool:
    # Path.is_dir() raises on EACCES; treat it as "not a folder" and let _load report it.
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _missing(path: Path) -> bool:
    # Only "does not exist" counts (a dangling symlink too); EACCES is reported by the read.
    try:
        path.stat()
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False
    return False


def _unsupported(path: Path) -> SourceError:
    kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
    return SourceError(str(path), f"unsupported file type {kind} ({_EXPECTED})")


def _load(path: Path, max_bytes: int) -> list[Document | SourceError]:
    """Documents and errors from one file, in order; never raises."""
    suffix = path.suffix.lower()  # REPORT.PDF is a PDF too
    bad_name = bad_file_name(path)
    if bad_name is not None:  # its id, source and every message naming it would not be text
        return [bad_name]
    try:
        if _missing(path):
            raise SourceError(str(path), "no such file or directory")
        if _is_dir(path):
            raise SourceError(str(path), "is a directory")
        if suffix not in SUPPORTED_SUFFIXES:
            raise _unsupported(path)
        data = read_limited(path, max_bytes)
        if suffix == ".jsonl":
            return jsonl.load(path, data)
        doc = _SINGLE[suffix](path, data)
        # a declared charset or a PDF's font map can still yield a lone surrogate
        check_unicode(str(path), text=doc.text, title=doc.title, date=doc.date, publisher=doc.publisher)
        return [doc]
    except SourceError as err:
        return [err]
    except Exception as exc:  # a bug or an unforeseen library error: still one line, no traceback
        return [SourceError(str(path), f"could not read file ({type(exc).__name__}: {short_message(exc)})")]


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> list[Document]:
    """The documents in one file (several for .jsonl).

    Raises :class:`SourceError` on any problem, for .jsonl on the first bad line; use
    :func:`iter_documents` to keep the good lines of a partly broken .jsonl file.
    """
    docs: list[Document] = []
    for item in _load(Path(path), max_bytes):
        if isinstance(item, SourceError):
            raise item
        docs.append(item)
    return docs


def _walk(folder: Path, seen: set[Path]) -> Iterator[Path | SourceError]:
    """Supported, non-hidden files under ``folder``, sorted by name, depth first."""
    try:
        real = folder.resolve()
        if real in seen:  # a symlink back up the tree would loop forever
            return
        seen.add(real)
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield SourceError(display_path(folder), os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):  # .git, .DS_Store, editor swap files
            continue
        if _is_dir(entry):
            yield from _walk(entry, seen)
        elif entry.suffix.lower() in SUPPORTED_SUFFIXES:
            yield entry  # broken links and FIFOs included: _load reports them


def iter_documents(paths: Iterable[Path], max_bytes: int = MAX_BYTES) -> Iterator[Document | SourceError]:
    """Documents from files and folders (recursively), with problems yielded, not raised.

    Inside folders, hidden entries and unsupported file types are skipped silently; a file
    named explicitly is always read or reported.  An empty folder yields nothing.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if _is_dir(path):
            for found in _walk(path, seen):
                if isinstance(found, SourceError):
                    yield found
                else:
                    yield from _load(found, max_bytes)
        else:
            yield from _load(path, max_bytes)
