"""frontwatch_newlines_v1: a line break ends a sentence.

Headlines, bylines and captions have no full stop; without this they run into the next sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("frontwatch_newlines_v1")
def newlines(doc: Doc) -> Doc:
    """Marks the token after a line break as a sentence start, before the parser runs."""
    for tok in doc[:-1]:
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc
