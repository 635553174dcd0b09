"""Shared fixtures: the spaCy pipeline is loaded at most once per test session (~2 s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="session")
def pipeline() -> Language:
    """The full frontwatch pipeline.  `load_pipeline` caches it per process, so every test that goes
    through the Python API (extract_documents, extract_one) after this fixture reuses the same one."""
    from frontwatch.pipeline import load_pipeline

    return load_pipeline()
