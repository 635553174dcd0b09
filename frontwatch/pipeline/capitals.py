"""A capital named for its government ("Beijing denied", "ties to Tehran") or as a city ("in Minsk"):
the votes of its mentions, decided once per document. The words are data: `types.yaml`, `capitals`."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..vocab import Vocabulary

POSSESSIVES = ("'s", "’s")  # the possessive ending, as the tokenizer splits it off
# "to" and "from" are read by _to_or_from
LOCATIVE_PREPS = {"in", "at", "near", "outside", "across", "around", "into", "inside"}


class CapitalUses:
    """Whether each capital a document names stands for its government, from its mentions' votes."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        capitals = vocab.types.get("capitals", {})
        self.default = frozenset(capitals.get("government_by_default", []))
        self.always = frozenset(capitals.get("always_government", []))
        self.actor_preps = frozenset(capitals.get("actor_prepositions", []))
        self.place_after = frozenset(capitals.get("place_nouns", []))
        self.direction = frozenset(capitals.get("direction_words", []))
        self.actor_hyphen = frozenset(capitals.get("actor_after_hyphen", []))
        self.motion = frozenset(capitals.get("motion_words", []))
        self.government_nouns = frozenset(capitals.get("government_nouns", []))
        self.place_verbs = frozenset(capitals.get("place_verbs", []))

    def uses(self, doc: Doc) -> dict[str, bool]:
        """For each capital named in the document: whether it is used as its government (the sum of
        its mentions' votes; a tie goes to `government_by_default`)."""
        votes: dict[str, int] = {}
        for ent in doc.ents:
            text = self.text(ent)
            if text is not None:
                votes[text] = votes.get(text, 0) + self.vote(ent)
        return {text: v > 0 or (v == 0 and text in self.default) or text in self.always
                for text, v in votes.items()}

    def text(self, span: Span) -> str | None:
        """The capital a mention names, as the vocabulary writes it ("Hague" after "the": "The Hague")."""
        if span.text in self.vocab.metonym_state:
            return span.text
        if span.start > 0 and span.doc[span.start - 1].lower_ == "the" \
                and f"The {span.text}" in self.vocab.metonym_state:
            return f"The {span.text}"
        return None

    def vote(self, span: Span) -> int:
        """+1 where a capital mention acts ("Beijing denied", "urged Hanoi", "deals with Tehran",
        "Beijing's agenda"), -1 where it locates ("in Minsk", "a Berlin court", "Paris-based")."""
        doc, root = span.doc, span.root
        nxt = doc[span.end] if span.end < len(doc) else None
        start = span.start - 1 if span.start > 0 and doc[span.start - 1].lower_ == "the" else span.start
        prev = doc[start - 1] if start > 0 else None  # "in The Hague" where the NER left "The" out
        if nxt is not None and nxt.text == "," and self._country_after(span):
            return -1  # "of Tehran, Iran": a city and its country
        if nxt is not None and nxt.text in ("-", "–") and span.end + 1 < len(doc) \
                and doc[span.end + 1].lower_ in self.place_after:
            return -1  # "Paris-based"
        if nxt is not None and nxt.text in ("-", "–") and span.end + 1 < len(doc) \
                and doc[span.end + 1].lower_ in self.actor_hyphen:
            return 1  # "Beijing-backed"
        if nxt is not None and nxt.text in POSSESSIVES:  # "Beijing's agenda", but "Berlin's highest court"
            return -1 if root.head.lower_ in self.place_after else 1
        if prev is not None and prev.lower_ in ("to", "from"):
            return self._to_or_from(prev, nxt)
        if prev is not None and prev.lower_ == "in" and prev.head.lemma_.lower() in self.government_nouns:
            return 1  # "the regime in Tehran", "officials in Budapest"
        if prev is not None and prev.lower_ in LOCATIVE_PREPS:
            return -1
        if prev is not None and prev.lower_ in self.direction:
            return -1  # "southern Seoul", "east London"
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
            return 1
        if root.dep_ == "pobj" and root.head.lower_ == "of" and (
                root.head.head.lower_ in self.place_after
                or any(w in self.direction for w in root.head.head.lower_.split("-"))):
            return -1  # "the city of Warsaw", "the mayor of Kyiv", "north-east of Paris"
        if root.dep_ == "dobj" and root.head.lemma_.lower() in self.place_verbs:
            return -1  # "visited Canberra", "left Minsk"
        if root.dep_ == "dobj" or (root.dep_ == "pobj" and root.head.lower_ in self.actor_preps):
            return 1
        if root.dep_ in ("compound", "appos", "npadvmod"):
            return -1
        return 0

    def _to_or_from(self, prep: Token, nxt: Token | None) -> int:
        """"flew to Moscow", "run from Warsaw", "from Athens to Vilnius" locate; "secrets passed to
        Moscow", "ties to Tehran", "a warning from Beijing" name the government."""
        if prep.head.lemma_.lower() in self.motion:
            return -1
        if prep.lower_ == "from" and nxt is not None and nxt.lower_ == "to":
            return -1
        before = prep.doc[max(prep.sent.start, prep.i - 6):prep.i]
        if prep.lower_ == "to" and any(t.lower_ == "from" for t in before):
            return -1
        return 1

    def _country_after(self, span: Span) -> bool:
        """The capital is followed by a comma and its own country's name."""
        doc, state = span.doc, self.vocab.metonym_state.get(self.text(span) or "")
        return any(self.vocab.state_of(doc[span.end + 1:span.end + 1 + n].text) == state
                   for n in (1, 2, 3) if span.end + n < len(doc))
