"""Long documents go through in pieces: nothing is dropped, offsets index the whole text."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from frontwatch.extract import extract_one
from frontwatch.model import Document
from frontwatch.pieces import cut

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.mark.parametrize(("text", "size"), [
    ("a" * 50, 10),
    ("one two three four five six seven eight nine ten " * 40, 60),
    ("First paragraph here.\n\nSecond one follows.\n\nThird." * 30, 100),
    ("short", 100),
])
def test_pieces_cover_the_text_exactly(text: str, size: int) -> None:
    pieces = cut(text, size)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= size for _, p in pieces)
    assert [o for o, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]


def test_paragraph_breaks_are_preferred() -> None:
    text = ("word " * 30 + "\n\n") * 4
    assert all(p.endswith("\n\n") for _, p in cut(text, 200)[:-1])


def test_a_long_document_keeps_what_lies_past_the_first_piece(pipeline: Language) -> None:
    filler = "The weather in the valley stayed mild for most of the week.\n\n" * 2000  # ~124,000 chars
    text = filler + "The Ministry of State Security recruited Elena Petrova in 2019."
    result = extract_one(Document(id="long", text=text))
    petrova = next(e for e in result.entities if e.name == "Elena Petrova")
    assert all(text[m.start:m.end] == m.text for m in petrova.mentions)
    assert petrova.mentions[0].start > 100_000
    claim = next(c for c in result.claims if c.object == "Elena Petrova")
    assert claim.evidence is not None
    assert text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
