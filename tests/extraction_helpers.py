"""Extraction of one short text written for a test, and the entity holding a surface form."""

from __future__ import annotations

from frontwatch.extract import extract_one
from frontwatch.model import Document, Entity, Extraction


def run(text: str) -> Extraction:
    return extract_one(Document(id="t", text=text))


def find(result: Extraction, form: str) -> Entity | None:
    """The entity whose name or one of whose aliases is `form`."""
    return next((e for e in result.entities if form == e.name or form in e.aliases), None)
