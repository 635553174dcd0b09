"""Cross-document entity resolution: decide whether two documents' actors are one real-world actor.

    from frontwatch.resolve import Candidate, decide
    decide(Candidate("CSIS", "state_body"), Candidate("Canadian Security Intelligence Service", "state_body"))
    # Decision(match=True, rule='acronym', score=0.95)

Pure Python over the packaged gazetteer (no database): `candidate` (the compared record and text
normalisation), `features` (pairwise features in [0, 1]), `matcher` (the ordered rules),
`evaluation` (precision/recall on a labelled pair set).
"""

from __future__ import annotations

from .candidate import Candidate, acronym, norm, tokens
from .matcher import DEFAULT_THRESHOLDS, RULE_SCORES, Decision, Thresholds, decide

__all__ = [
    "Candidate", "Decision", "Thresholds", "DEFAULT_THRESHOLDS", "RULE_SCORES", "acronym", "decide", "norm",
    "tokens",
]
