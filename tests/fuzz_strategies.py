"""Shared pieces of the fuzz tests (tests/test_fuzz_sources.py, tests/test_fuzz_imports.py): settings,
strategies for hostile JSON and text, and the one-line check.

Hypothesis runs derandomized (the same examples on every run, in CI too) with few examples each, so each
fuzz file takes well under a minute.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW = settings(FUZZ, max_examples=25)  # each example creates a store
SENTENCE = "CSIS said the Chinese Consulate in Toronto funded the Friendship Association."

# text without control characters (a file full of them is binary, refused as a whole) or line breaks
line_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), line_text)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(line_text, inner, max_size=3)),
    max_leaves=8,
)


def nested(depth: int) -> str:
    """A JSON array nested `depth` levels deep."""
    return "[" * depth + "]" * depth


deep = st.sampled_from([2_000, 100_000]).map(nested)
huge_number = st.integers(5_000, 6_000).map(lambda n: "1" + "0" * n)
surrogate = st.sampled_from(["\ud800", "\udfff", "a\udc00b"])


def one_line(message: str, where: str) -> None:
    """`message` is one line, no traceback, starting with `where`."""
    assert "\n" not in message and "Traceback" not in message, message
    assert message.startswith(where), (message, where)
