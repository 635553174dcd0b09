"""What pair_features and the gazetteer read once per document must equal what spaCy's objects say."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from frontwatch.pipeline.gazetteer import _Words
from frontwatch.pipeline.pair_features import NEGATIONS, TokenFacts, dependency_path, triggers
from frontwatch.vocab import load_vocabulary

TEXTS = [
    "The Berlin Higher Regional Court convicted Vadim Krasikov, who did not deny that he was paid by "
    "the FSB. He was sentenced to life.",
    "Prosecutors said the Chinese embassy in Ottawa provided funding to two community groups; the "
    "groups were never registered. Was the consulate involved?",
]


@pytest.fixture(scope="module", params=TEXTS)
def doc(request: pytest.FixtureRequest, pipeline: Language) -> Doc:
    return pipeline(request.param)


def test_token_facts_paths_are_the_dependency_paths(doc: Doc) -> None:
    facts = TokenFacts(doc, triggers(load_vocabulary()))
    for a in doc:
        for b in doc:
            up, down = dependency_path(a, b)
            assert facts.path(a.i, b.i) == ([t.i for t in up], [t.i for t in down])


def test_token_facts_are_the_tokens_attributes(doc: Doc) -> None:
    lex = triggers(load_vocabulary())
    facts = TokenFacts(doc, lex)
    for t in doc:
        assert (facts.dep[t.i], facts.head[t.i], facts.pos[t.i]) == (t.dep_, t.head.i, t.pos_)
        assert facts.lemma[t.i] == t.lemma_.lower() and facts.lower[t.i] == t.lower_
        assert facts.neg[t.i] == (any(c.dep_ == "neg" for c in t.children) or facts.lemma[t.i] in NEGATIONS)
        assert facts.passive[t.i] == any(c.dep_ == "auxpass" for c in t.children)
        near = [p for c in t.children if c.dep_ in ("dobj", "attr", "nsubj", "nsubjpass")
                for p in lex.get(c.lemma_.lower(), ())]
        assert facts.near[t.i] == near
    assert any(facts.neg) and any(facts.passive)  # the texts exercise both


def test_words_span_is_the_span_text(doc: Doc) -> None:
    words = _Words(doc)
    for start in range(len(doc)):
        for end in range(start, min(start + 6, len(doc)) + 1):
            assert words.span(start, end) == doc[start:end].text
