"""Forms the text writes around a mention that name its entity too: its owner's possessive, a place's
kind, a person's title. They become aliases (SCHEMA: every surface form the document uses)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ..vocab import load_vocabulary
from .aliases import BODY_TYPES, HONORIFICS, DocEntity
from .name_evidence import POSSESSIVES, kind_of_place_after
from .span_repairs import PEER_TITLES

OWNER_MARKS = (*POSSESSIVES, "'", "’")  # "Italy's", "the Netherlands'"
# titles that are part of how a person is called ("Mr Justice Hilliard", "Lord Cameron", "King Hamad"); not
# offices ("Senator", "Commander", "Crown Prince"), which are no part of a name, not even an alias
NAMING_TITLES = HONORIFICS | PEER_TITLES | {"Prince", "Princess", "King", "Queen", "Justice"}


def written_forms(doc: Doc, ents: list[DocEntity]) -> dict[int, list[str]]:
    """Forms the text writes around a mention, for each entity: a body's name after its owner's
    possessive, a state, place, body or person ("Italy's Ministry of the Interior", "the FBI's Los
    Angeles Field Office"), or after its state's adjective ("the Kazakh Ministry of Foreign Affairs"),
    which tells whose body it is; a place's name before a lower-case word for its kind ("the Kursk
    region", "Evin prison"), as lists and gazetteers often name it; a person's name after a title of
    address ("Mr Justice Hilliard", "Lord Cameron"), as the text names them."""
    vocab = load_vocabulary()
    kinds, demonyms = vocab.words("types", "place_descriptors"), vocab.demonym_state
    owner_at: dict[int, Span] = {}  # the token after a mention -> that mention
    for e in ents:
        for m in e.mentions:
            owner_at[m.end] = m
    out: dict[int, list[str]] = {}
    for e in ents:
        for m in e.mentions:
            if m.doc is not doc:
                continue
            form = None
            owner = owner_at.get(m.start - 1)
            if e.type in BODY_TYPES and owner is not None and doc[m.start - 1].text in OWNER_MARKS:
                form = doc[owner.start:m.end].text
            elif e.type in BODY_TYPES and m.start > 0 and doc[m.start - 1].text in demonyms \
                    and m.start not in owner_at:
                form = doc[m.start - 1:m.end].text  # "the Kazakh Ministry of Foreign Affairs"
            elif e.type == "place" and kind_of_place_after(m, kinds):
                form = doc[m.start:m.end + 1].text
            elif e.type == "person":
                start = m.start
                while start > m.sent.start and doc[start - 1].text in NAMING_TITLES:
                    start -= 1
                form = doc[start:m.end].text if start < m.start else None
            if form is not None and form != e.name and form not in out.setdefault(e.idx, []):
                out[e.idx].append(form)
    return out
