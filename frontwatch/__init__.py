"""frontwatch: an evidence-linked network from reporting on foreign interference and transnational
repression."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import FrontwatchError, ModelNotFoundError, SourceError, VocabularyError
from .model import Claim, Document, Entity, Evidence, Extraction, Mention
from .sources import iter_documents, load_file

if TYPE_CHECKING:
    from .extract import extract_documents, extract_one

_LAZY = ("extract_documents", "extract_one")  # importing them imports spaCy (~0.6 s)


def __getattr__(name: str) -> Any:
    """Import the extractor, and with it spaCy, only when it is used (the CLI answers --help and
    usage errors without it)."""
    if name in _LAZY:
        from . import extract

        return getattr(extract, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Claim",
    "Document",
    "Entity",
    "Evidence",
    "Extraction",
    "FrontwatchError",
    "Mention",
    "ModelNotFoundError",
    "SourceError",
    "VocabularyError",
    "extract_documents",
    "extract_one",
    "iter_documents",
    "load_file",
]
__version__ = "0.1.0"
