"""A long text is parsed in pieces (frontwatch/pipeline/run.py) and read as one document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontwatch.pipeline.run import PARSE_CHARS, pipe

if TYPE_CHECKING:
    from spacy.language import Language

PARAGRAPH = ("Officers of the Royal Canadian Mounted Police questioned residents of Brossard about a "
             "community centre. The centre's director said it only helped seniors with paperwork. ")


def _long_text() -> str:
    filler = "\n\n".join(PARAGRAPH * 3 for _ in range(2 * PARSE_CHARS // len(PARAGRAPH * 3) + 1))
    return (filler + "\n\nOTTAWA (Reuters) - Kenneth Law met Li Wei Chen, a consular officer of the "
            "Chinese Consulate in Toronto.\n\nLater Law said the meeting was about a festival.")


def test_a_long_text_is_one_document_with_every_piece_read(pipeline: Language) -> None:
    text = _long_text()
    assert len(text) > 2 * PARSE_CHARS
    (doc, context), = list(pipe(pipeline, [(text, "ctx")]))
    assert context == "ctx" and doc.text == text
    whole = pipeline(text)
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in whole.ents]
    # the gazetteer's datelines of a later piece point at the joined document's tokens
    assert [doc[i].text for i in doc.user_data["fw_datelines"]] == ["OTTAWA"]
    # coreference reaches across pieces: "Law" in the last paragraph is Kenneth Law
    law = next(e for e in doc._.fw_entities if e.name == "Kenneth Law")
    assert [m.text for m in law.mentions] == ["Kenneth Law", "Law"]
    assert any(c.subj == law.idx for c in doc._.fw_claims)


def test_short_texts_go_through_in_a_batch(pipeline: Language) -> None:
    texts = [("The RCMP charged Kenneth Law.", 1), ("", 2), ("Chinese Consulate in Toronto", 3)]
    out = list(pipe(pipeline, texts))
    assert [(d.text, n) for d, n in out] == [(t, n) for t, n in texts]
