"""Shared fixtures: the spaCy pipeline is loaded at most once per test session (~2 s)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"  # the evaluation set and seed corpus live beside the repository


@pytest.fixture(scope="session")
def pipeline() -> Language:
    """The full frontwatch pipeline; `load_pipeline` caches it, so the API calls in tests reuse it."""
    from frontwatch.pipeline import load_pipeline

    return load_pipeline()
