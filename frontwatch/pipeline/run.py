"""Running the pipeline over texts of any length in time that grows linearly with their length.

spaCy's statistical components slow down on long documents: on 316 KB of text the English model took
22.7 s in one piece and 7.7 s in pieces of 5,000 characters, as fast a word as on short articles (16 s
in the 100,000-character pieces of frontwatch/pieces.py). So the components up to the named-entity
recogniser run over pieces of at most PARSE_CHARS characters, cut at paragraph breaks where there are
any; the pieces are joined into one Doc, and frontwatch's document components (entity typing,
aliases, coreference, claims, stance) run on the whole text, so they still see every sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from ..pieces import cut

PARSE_CHARS = 5_000
LAST_LOCAL = "ner"  # the components up to this one read a few words around each token only
T = TypeVar("T")


def pipe(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int = 16) -> Iterator[tuple[Doc, T]]:
    """(doc, context) for each (text, context), as `nlp.pipe(items, as_tuples=True)` gives them."""
    names = nlp.pipe_names
    if LAST_LOCAL not in names:
        yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)
        return
    later = names[names.index(LAST_LOCAL) + 1:]
    todo = list(items)  # a batch of documents: their pieces go through spaCy together
    pieces = [(p, n) for n, (text, _) in enumerate(todo) for _, p in cut(text, PARSE_CHARS)]
    parsed: list[list[Doc]] = [[] for _ in todo]
    with nlp.select_pipes(disable=later):
        for doc, n in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
            parsed[n].append(doc)
    for docs, (_, context) in zip(parsed, todo, strict=True):
        doc = _joined(docs)
        for name in later:
            doc = nlp.get_pipe(name)(doc)
        yield doc, context


def _joined(docs: list[Doc]) -> Doc:
    """One Doc of a text's pieces, with the dateline tokens the gazetteer noted moved to its indices."""
    if len(docs) == 1:
        return docs[0]
    datelines: set[int] = set()
    offset = 0
    for d in docs:
        datelines |= {i + offset for i in d.user_data.get("fw_datelines", ())}
        offset += len(d)
    # (spaCy's type stub lacks `exclude`; no frontwatch component reads the tensor)
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data", "tensor"])  # type: ignore[call-arg]
    doc.user_data["fw_datelines"] = datelines
    return doc
