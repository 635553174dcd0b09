"""PDF reports (.pdf): the text layer of every page via pypdf; no OCR. The title and the date come
from the file's metadata (/Title, /CreationDate) when it has them."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime
from pathlib import Path

from frontwatch.errors import SourceError
from frontwatch.model import Document
from frontwatch.sources._common import normalise_text, quiet_loggers, short_message

NO_TEXT_LAYER = "PDF has no text layer (scanned images?); run OCR first"
NEEDS_PASSWORD = "encrypted PDF (needs a password); remove the protection first, e.g. qpdf --decrypt"


def _title(reader: object) -> str | None:
    # Metadata is optional and often broken; a bad /Info must not cost us the text.
    try:
        meta = getattr(reader, "metadata", None)
        title = meta.title if meta is not None else None
    except Exception:
        return None
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    return None


def _created(reader: object) -> str | None:
    """The day the PDF was made (/CreationDate), as its published date: reports are made into PDF
    when they are published. A missing or broken date gives None, never an error."""
    try:
        meta = getattr(reader, "metadata", None)
        made = meta.creation_date if meta is not None else None
    except Exception:
        return None
    if isinstance(made, datetime) and 1990 <= made.year <= datetime.now(UTC).year + 1:
        return made.date().isoformat()
    return None


def _read(where: str, data: bytes) -> tuple[list[str], str | None, str | None]:
    """Page texts, title and date; library errors become SourceErrors here."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Many PDFs are encrypted only to restrict printing or copying: they open with an
            # empty user password in any viewer, so we read them too.
            if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise SourceError(where, NEEDS_PASSWORD)
        pages = [page.extract_text() or "" for page in reader.pages]
        return pages, _title(reader), _created(reader)
    except SourceError:
        raise
    except FileNotDecryptedError:
        raise SourceError(where, NEEDS_PASSWORD) from None
    except DependencyError:  # AES needs the optional 'cryptography' package
        raise SourceError(
            where, "encrypted PDF (AES); install the 'cryptography' package to read it"
        ) from None
    except Exception as exc:  # pypdf raises many types on broken files; all mean damage
        raise SourceError(where, f"damaged PDF: {short_message(exc)}") from None


def read_pdf(where: str, data: bytes) -> tuple[str, str | None, str | None]:
    """The text (pages joined with blank lines), title and date (YYYY-MM-DD) of a PDF given as bytes.

    ``where`` names it in errors: a file path, or the URL it was downloaded from.
    """
    if b"%PDF-" not in data[:1024]:
        raise SourceError(where, "not a PDF file (no %PDF- header)")
    # pypdf logs a warning for every repair it attempts; the user gets our one line instead.
    with quiet_loggers("pypdf"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pages, title, date = _read(where, data)
    if not pages:
        raise SourceError(where, "PDF has no pages")
    texts = [normalise_text(t).strip("\n") for t in pages]
    text = "\n\n".join(t for t in texts if t.strip())
    if not text:
        raise SourceError(where, NO_TEXT_LAYER)
    return text, title, date


def load(path: Path, data: bytes) -> Document:
    """One document per file; pages are joined with blank lines, the id is the file stem."""
    where = str(path)
    text, title, date = read_pdf(where, data)
    return Document(id=path.stem, text=text, title=title, date=date, source=where)
