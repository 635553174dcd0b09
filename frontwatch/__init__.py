"""frontwatch: an evidence-linked network from reporting on foreign interference and transnational repression."""

from __future__ import annotations

from .errors import FrontwatchError, ModelNotFoundError, SourceError, VocabularyError
from .extract import extract_documents, extract_one
from .model import Claim, Document, Entity, Evidence, Extraction, Mention
from .sources import iter_documents, load_file

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
