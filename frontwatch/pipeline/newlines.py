"""frontwatch_newlines_v1: a line break ends a sentence; a title abbreviation does not.

Headlines, bylines and captions have no full stop; without this they run into the next sentence.
Titles and place abbreviations with a full stop ("Insp.", "Supt.", "Que.") are kept as one token
(types.yaml, abbreviations), and the name after a title never starts a sentence.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from ..vocab import load_vocabulary


class SentenceBreaks:
    """Marks sentence starts after line breaks, and none after a title, before the parser runs."""

    def __init__(self, titles: frozenset[str]) -> None:
        self.titles = titles

    def __call__(self, doc: Doc) -> Doc:
        starts = [tok.i + 1 for tok in doc[:-1] if "\n" in tok.text or "\n" in tok.whitespace_]
        inside = [tok.i + 1 for tok in doc[:-1] if tok.text in self.titles
                  and doc[tok.i + 1].text[:1].isupper() and "\n" not in tok.whitespace_]
        if not starts and not inside:
            return doc
        # All at once: Token.is_sent_start = True checks the whole document for a parse each time, which
        # made a text with many lines quadratic.
        if doc.has_annotation("DEP"):
            doc[(starts or inside)[0]].is_sent_start = True  # raises spaCy's error, as one by one did
        column = doc.to_array([SENT_START]).astype("int64")
        column[starts] = 1
        column[inside] = -1
        doc.from_array([SENT_START], column.astype("uint64"))  # type: ignore[arg-type]
        return doc


def abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """Title abbreviations and place abbreviations, as written (types.yaml)."""
    data = load_vocabulary().types.get("abbreviations", {})
    return frozenset(map(str, data.get("titles", []))), frozenset(map(str, data.get("places", [])))


@Language.factory("frontwatch_newlines_v1", default_config={})
def make_newlines(nlp: Language, name: str) -> SentenceBreaks:
    """Keeps abbreviations whole in the tokenizer and marks sentence starts."""
    titles, places = abbreviations()
    tokenizer: Any = nlp.tokenizer
    for abbr in sorted(titles | places):
        if "." in abbr and tokenizer.explain(abbr) != [("SPECIAL-1", abbr)]:
            tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return SentenceBreaks(titles)
