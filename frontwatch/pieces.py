"""Long documents in pieces: nothing past spaCy's length limit is dropped, and memory stays bounded.

A text longer than PIECE_CHARS is cut at a paragraph break (else a line break, else a sentence end,
else a space) in the second half of each window; the pieces are extracted one by one and their
records joined with offsets moved back into the whole text. Entities join by name and type; a claim
found in several pieces is one claim (a denial wins, then a statement in the document's own voice).
Coreference does not reach across a cut.
"""

from __future__ import annotations

from .model import Claim, Entity, Evidence, Extraction, Mention

PIECE_CHARS = 100_000
STANCE_RANK = {"asserted": 0, "alleged": 1, "denied": 2}


def cut(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs that cover `text` exactly, each at most `size` characters."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        end = 0
        for mark in ("\n\n", "\n", ". ", " "):
            at = window.rfind(mark, size // 2)
            if at >= 0:
                end = at + len(mark)
                break
        end = end or size
        pieces.append((start, text[start:start + end]))
        start += end
    pieces.append((start, text[start:]))
    return pieces


def join(parts: list[tuple[int, Extraction]]) -> Extraction:
    """One record from the records of a document's pieces (offsets are moved by each piece's start)."""
    document = parts[0][1].document
    entities: dict[tuple[str, str], Entity] = {}
    claims: dict[tuple[str, str, str], Claim] = {}
    for offset, part in parts:
        for e in part.entities:
            into = entities.setdefault((e.name, e.type), Entity(e.name, e.type, gazetteer_id=e.gazetteer_id))
            into.aliases += [a for a in e.aliases if a not in into.aliases]
            into.mentions += [Mention(m.start + offset, m.end + offset, m.text) for m in e.mentions]
        for c in part.claims:
            moved = _moved(c, offset)
            known = claims.get(c.key())
            if known is None:
                claims[c.key()] = moved
                continue
            known.confidence = max(known.confidence, moved.confidence)
            if STANCE_RANK[moved.stance] == 2 or (moved.stance == "asserted" and known.stance == "alleged"):
                known.stance, known.attributed_to = moved.stance, moved.attributed_to
            known.tactic = known.tactic or moved.tactic
    return Extraction(document=document, entities=list(entities.values()), claims=list(claims.values()))


def _moved(c: Claim, offset: int) -> Claim:
    ev = c.evidence
    evidence = Evidence(ev.text, ev.start + offset, ev.end + offset) if ev is not None else None
    return Claim(c.subject, c.predicate, c.object, c.stance, c.attributed_to, c.tactic, evidence, c.date,
                 c.amount, c.trigger, c.confidence, list(c.explanation))
