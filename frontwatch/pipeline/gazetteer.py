"""frontwatch.gazetteer.v1: known actors and states, plus the generic forms news uses for state organs,
missions and overseas stations. Runs before the statistical NER, which respects its spans."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..vocab import Vocabulary, load_vocabulary
from .match_context import HYPHENS, given_name_after, hyphenated, in_credit, inside_name, word_of_a_name
from .mission_names import (
    MISSION_NOUNS,
    general_end,
    mission_noun_end,
    owned_mission_end,
    seat_end,
    un_mission_end,
)
from .name_evidence import DASHES, POSSESSIVES, capword

STATION_NOUNS = {"station", "stations"}
ORGAN_MODIFIERS = {"federal", "national", "foreign", "secret", "state", "central", "provincial", "military",
                   "municipal", "regional", "local", "domestic", "overseas", "communist"}


# when one name is in several lists: a state (or its capital as metonym) before a body before a place
PRIORITY = {"COUNTRY": 0, "PLACE": 2}


NOT_ORGAN_AFTER = STATION_NOUNS | {"officers", "officer", "agents"}
CODE_NAME = re.compile(r"^[A-Z]{2,3}[0-9]{1,2}$")


SHARE_BAR = ("|", "•", "·", "/")


class GazetteerRuler:
    """Marks gazetteer names and generic state-organ / mission / station phrases as entities."""

    def __init__(self, nlp: Language, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._words: _Words | None = None  # the document being read (_words_of)
        self.names_go_on = vocab.words("types", "names_go_on_after")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[str, tuple[str, str | None]] = {}  # match key -> (label, gazetteer id)
        for st in vocab.states.values():
            self._add(nlp, f"state:{st.id}", "COUNTRY", st.id, (st.name, *st.aliases, *st.metonyms))
            forms = [f"{d} {w}" for d in st.demonyms for w in self._itself()]
            forms += [f"{st.name}'s {w}" for w in self._itself()]
            # "US authorities", "PRC government": a short name used as a modifier
            forms += [f"{a} {w}" for a in st.aliases if a.replace(".", "").isupper() for w in self._itself()]
            self._add(nlp, f"gov:{st.id}", "COUNTRY", st.id, forms, lower=True)
        places = [e for e in vocab.entries if e.type == "place"]
        # a body's name that opens with its place or state is also written with that place's possessive
        possessors = {n.lower() for e in places for n in (e.name, *e.aliases)} | set(vocab.state_by_name)
        for e in vocab.entries:
            names = [e.name, *e.aliases]
            if e.type in ("state_body", "diplomatic_mission", "organization"):
                names += [p for p in (_possessive(n, possessors) for n in names) if p]
            self._add(nlp, f"entry:{e.id}", e.type.upper(), e.id, names)
        # first words of the demonyms of two words ("North" of "North Korean"): checked once per token
        self.demonym_starts = {d.split()[0] for d in vocab.demonym_state if " " in d}
        # places with a government of their own take a possessive organ like a state ("Hong Kong's police")
        levels = vocab.words("types", "governed_place_levels")
        self.governed_places = {n.lower(): e.state for e in places if e.state and e.kind in levels
                                for n in (e.name, *e.aliases)}
        # what a token can be when a state's name or metonym starts with it: every prefix of their first
        # words ("people" of "People's Republic of China"); other tokens need no span built (_state_at)
        owners = (*vocab.state_by_name, *vocab.metonym_state, *self.governed_places)
        self.state_prefixes = {w[:k] for name in owners for w in [name.lower().split()[0]]
                               for k in range(1, len(w) + 1)}
        # datelines write places in capitals ("OTTAWA (Reuters) -"): their names, lower-cased
        self.place_names: dict[str, tuple[str, str]] = {
            n.lower(): ("PLACE", e.id) for e in places for n in (e.name, *e.aliases)}
        for st in vocab.states.values():
            for n in (st.name, *st.aliases):
                self.place_names.setdefault(n.lower(), ("COUNTRY", st.id))
        self.credit_names: dict[str, str] = dict(vocab.types.get("credit_names") or {})
        self.credit_words = vocab.words("types", "credit_words")
        self.bare_platforms: dict[str, str] = dict(vocab.types.get("bare_platform_names") or {})
        self.platform_ids = {e.id for e in vocab.entries if e.kind == "platform"}
        self.organs = sorted((tuple(o.split()) for o in vocab.words("types", "state_organs")), key=len,
                             reverse=True)
        self.organ_first = {o[0] for o in self.organs}
        self.body_heads = vocab.words("types", "body_name_heads")
        # "Eastern Europe", "North Africa", "Southern California": a region of the place, a place of its own
        directions = frozenset(str(w) for w in vocab.types.get("capitals", {}).get("direction_words", []))
        self.regions = directions - {"downtown", "suburban"}
        # words after a place that keep it a place ("Vancouver East", "Toronto Police")
        self.not_surnames = directions | \
            vocab.words("types", "generic_words") | vocab.words("types", "name_heads") | \
            vocab.words("types", "organization_heads") | vocab.words("types", "organization_nouns")

    def _itself(self) -> list[str]:
        return sorted(self.vocab.words("types", "state_itself"))

    def _add(self, nlp: Language, key: str, label: str, gid: str | None, names: Iterable[str],
             lower: bool = False) -> None:
        self.labels[key] = (label, gid)
        # news writes both apostrophes: "People's Republic" and "People’s Republic"
        variants = [v for n in names if n for v in (n, n.replace("'", "’"))]
        docs = [nlp.make_doc(n) for n in dict.fromkeys(variants)]
        self.exact.add(key, docs)
        multi = [d for d in docs if len(d) > 1 and not d.text.isupper()]
        if lower or multi:
            self.lower.add(key, docs if lower else multi)

    def __call__(self, doc: Doc) -> Doc:
        best: dict[tuple[int, int], tuple[int, str, str]] = {}
        strings = doc.vocab.strings
        matches = [*self.exact(doc), *self.lower(doc)]
        starts, ends = {m[1] for m in matches}, {m[2] for m in matches}
        for match_id, start, end in matches:
            label, gid = self.labels[strings[match_id]]
            if label in ("PLACE", "COUNTRY") and (
                    inside_name(doc, start) or hyphenated(doc, start, end, starts, ends)):
                continue  # "University of Toronto": the statistical NER gets the whole name
            if label == "PLACE" and end - start == 1 \
                    and given_name_after(doc, end, starts, self.not_surnames):
                continue  # "Milan Knežević", "Sofia Sapega": a place name as a given name
            if label in ("STATE_BODY", "ORGANIZATION") and end < len(doc) and doc[end].is_title \
                    and doc[end].lower_ in self.body_heads and not doc[end].is_sent_start:
                continue  # "Metropolitan Police Department" is not London's "Metropolitan Police"
            if label == "STATE_BODY" and doc[end - 1].lower_ in self.names_go_on and end + 1 < len(doc) \
                    and doc[end].lower_ == "of" and doc[end + 1].is_title and end + 1 not in starts:
                continue  # "Specialized Criminal Court of Appeal" is not the Specialized Criminal Court
            if strings[match_id].startswith("gov:") and doc[end - 1].is_title and end < len(doc) \
                    and capword(doc[end]):
                continue  # "Lithuania's State Security Department": the state's word opens a name
            if label == "ORGANIZATION" and end - start == 1 and word_of_a_name(doc, start):
                continue  # "Liberation" (a newspaper) in "National Liberation Front", "the Liberation of X"
            if label == "PLACE" and start > 0 and doc[start - 1].is_title \
                    and doc[start - 1].lower_ in self.regions and start - 1 not in starts:
                start, gid = start - 1, None  # "Eastern Europe" is not Europe
            other = self._other_state(doc, start, gid)
            if other is not None:  # "Belgian Federal Prosecutor's Office" is not Germany's
                start, gid = other, None
            rank = PRIORITY.get(label, 1)
            if (start, end) not in best or rank < best[(start, end)][0]:
                best[(start, end)] = (rank, label, gid or "")
        best = _joined(best)
        for (s, e), (rank, _, _) in best.items():
            agency = self.credit_names.get(doc[s:e].text)
            if agency and in_credit(doc, s, e, self.credit_words):  # "Credit: AFP" is the agency
                best[(s, e)] = (rank, "ORGANIZATION", agency)
        spans = [Span(doc, s, e, label=label, kb_id=gid) for (s, e), (_, label, gid) in best.items()]
        if self.bare_platforms and any(gid in self.platform_ids for _, _, gid in best.values()):
            spans.extend(self._bare_platforms(doc))
        datelines = list(self._datelines(doc))
        doc.user_data["fw_datelines"] = {span.start for span in datelines}  # no headings (entity_types)
        spans = datelines + spans  # a dateline's place wins a tie with a state ("THE HAGUE")
        spans.extend(self._generic(doc))
        spans.extend(self._code_names(doc))
        doc.ents = filter_spans(spans)
        self._words = None
        return doc

    def _other_state(self, doc: Doc, start: int, gid: str | None) -> int | None:
        """Where the name starts of another state's body that a known body's name is part of: at the
        demonym ("Belgian" + Germany's "Federal Prosecutor's Office"), or after the possessive
        ("Germany's" + Britain's "Foreign Office"); None when no other state is named right before it."""
        entry = self.vocab.entry_by_id.get(gid) if gid else None
        if entry is None or entry.state is None or entry.type not in ("state_body", "diplomatic_mission"):
            return None
        for i in range(start - 1, max(start - 7, -1), -1):  # "Belgian", "People's Republic of China's"
            found = self._state_at(doc, i)
            if found is not None and found[1] == start:
                if found[0] == entry.state:
                    return None
                # a demonym is part of the name, a possessive is not: "Germany's" + "Foreign Office"
                return start if doc[start - 1].text in POSSESSIVES else i
        return None

    def _bare_platforms(self, doc: Doc) -> Iterable[Span]:
        """"X" alone, in a text that names another platform: not next to a capitalised word, nor in a bar of
        share buttons ("Facebook | X | WhatsApp"), which names no actor."""
        n = len(doc)
        for tok in doc:
            gid = self.bare_platforms.get(tok.text)
            if gid is None:
                continue
            before = doc[tok.i - 1] if tok.i else None
            after = doc[tok.i + 1] if tok.i + 1 < n else None
            if not any(t is not None and ((t.is_title or t.is_upper) and t.is_alpha or t.text in SHARE_BAR)
                       for t in (before, after)):
                yield Span(doc, tok.i, tok.i + 1, label="ORGANIZATION", kb_id=gid)

    def _words_of(self, doc: Doc) -> _Words:
        """The texts of this document's tokens, read once per call of the component."""
        if self._words is None or self._words.doc is not doc:
            self._words = _Words(doc)
        return self._words

    def _state_at(self, doc: Doc, i: int) -> tuple[str, int] | None:
        """The state named by a demonym or possessive starting at token i, and where it ends."""
        words = self._words_of(doc)
        texts = words.texts
        tok_text = texts[i]
        if tok_text in self.demonym_starts and i + 2 < len(doc):  # "North Korean"
            two = words.with_ws[i] + texts[i + 1]
            if two in self.vocab.demonym_state:
                return self.vocab.demonym_state[two], i + 2
        if tok_text in self.vocab.demonym_state:
            return self.vocab.demonym_state[tok_text], i + 1
        if words.lowers[i] not in self.state_prefixes:
            return None
        for n in (5, 4, 3, 2, 1):  # "People's Republic of China's", "China's"
            if i + n < len(doc) and texts[i + n] in POSSESSIVES:
                name = words.span(i, i + n)
                sid = self.vocab.state_by_name.get(name.lower()) or (
                    self.vocab.metonym_state.get(name)) or (  # "Tehran's foreign ministry"
                    self.governed_places.get(name.lower()))  # "Hong Kong's police"
                if sid:
                    return sid, i + n + 1
        for n in (5, 4, 3, 2, 1):  # "PRC Consulate", "People's Republic Consulate"
            sid = self.vocab.state_by_name.get(words.span(i, i + n).lower()) if i + n < len(doc) else None
            if sid and (mission_noun_end(doc, i + n) is not None or words.lowers[i + n] in self.organ_first):
                return sid, i + n
        return None

    def _datelines(self, doc: Doc) -> Iterable[Span]:
        """The place in capitals that opens a wire story's line: "OTTAWA (Reuters) -", "THE HAGUE, May 3
        (dpa) -", "BERLIN -". A known place or state keeps its gazetteer id."""
        n = len(doc)
        metonyms = self.vocab.metonym_state
        for i in range(n):
            if i and "\n" not in doc[i - 1].text:
                continue
            j = i
            while j < n and j - i < 3 and doc[j].is_alpha and doc[j].is_upper and len(doc[j]) > 1:
                j += 1
            if j == i or j + 1 >= n or len(doc[i:j].text) < 3:
                continue
            after = doc[j]
            dateline = after.text == "(" or after.text in DASHES and after.whitespace_ or (
                after.text == "," and doc[j + 1].is_title)
            if not dateline:
                continue
            label, gid = self.place_names.get(doc[i:j].text.lower(), ("PLACE", ""))
            if after.text != "(" and after.text != "," and not gid and doc[i:j].text.title() not in metonyms:
                continue  # "ANALYSIS — ...": a dash alone makes a dateline of a known place only
            yield Span(doc, i, j, label="PLACE", kb_id=gid if label == "PLACE" else "")

    def _code_names(self, doc: Doc) -> Iterable[Span]:
        """Stable code names for unnamed people ("CA3", "UK1") used more than once in the text."""
        counts: dict[str, list[int]] = {}
        for tok in doc:
            if CODE_NAME.match(tok.text):
                counts.setdefault(tok.text, []).append(tok.i)
        for positions in counts.values():
            if len(positions) > 1:
                yield from (Span(doc, i, i + 1, label="PERSON") for i in positions)

    def _mission_of(self, doc: Doc, i: int) -> int | None:
        """Where a mission named by its state after "of" ends: "Embassy of the Kingdom of Bahrain in
        London", "Consulate General of Eritrea in Toronto"; None when token i starts no such name."""
        n = len(doc)
        noun_end = mission_noun_end(doc, i)
        if noun_end is None or not doc[i].is_title:
            return None
        j = general_end(doc, noun_end)
        if j >= n or doc[j].lower_ != "of":
            return None
        k = j + 2 if j + 1 < n and doc[j + 1].lower_ == "the" else j + 1
        end = next((k + m for m in (5, 4, 3, 2, 1) if k + m <= n
                    and self.vocab.state_by_name.get(doc[k:k + m].text.lower())), None)
        return None if end is None else seat_end(doc, end)

    def _generic(self, doc: Doc) -> Iterable[Span]:
        n = len(doc)
        words = self._words_of(doc)
        texts, lowers = words.texts, words.lowers
        for i in range(n):
            # what every name below starts with: a mission's noun or a state's demonym or name (read
            # from plain strings first: spaCy's Token objects for every token were a tenth of the run)
            two = f"{lowers[i]} {lowers[i + 1]}" if i + 1 < n else ""
            if not (lowers[i] in MISSION_NOUNS or two in MISSION_NOUNS or texts[i] in self.demonym_starts
                    or texts[i] in self.vocab.demonym_state or lowers[i] in self.state_prefixes):
                continue
            end_of = self._mission_of(doc, i)
            if end_of is not None:
                yield Span(doc, i, end_of, label="DIPLOMATIC_MISSION")
                continue
            seated = owned_mission_end(doc, i)
            if seated is not None:  # "his country's embassy in Vienna"
                yield Span(doc, i, seated, label="DIPLOMATIC_MISSION")
                continue
            found = self._state_at(doc, i)
            if found is None:
                continue
            sid, j = found
            k = j
            while k < n and doc[k].lower_ in ORGAN_MODIFIERS:
                k += 1
            noun_end = mission_noun_end(doc, k)
            if noun_end is not None:
                yield Span(doc, i, seat_end(doc, general_end(doc, noun_end)), label="DIPLOMATIC_MISSION")
                continue
            un_end = un_mission_end(doc, k)
            if un_end is not None:  # "Iran's mission to the United Nations"
                yield Span(doc, i, seat_end(doc, un_end), label="DIPLOMATIC_MISSION")
                continue
            prev = doc[i - 1] if i > 0 else None
            inside_name = (prev is not None and prev.pos_ == "PROPN" and prev.is_title
                and not prev.is_sent_start) or (prev is not None and prev.text in HYPHENS
                                                and not prev.whitespace_)  # "anti-China forces"
            if k > j and doc[j].lower_ in self.organ_first and any(
                    tuple(t.lower_ for t in doc[j:j + len(o)]) == o for o in self.organs):
                k = j  # "foreign ministry" is an organ, not "foreign" + "ministry"
            if k < n and doc[k].lower_ in self.organ_first and not inside_name:
                for organ in self.organs:
                    if tuple(t.lower_ for t in doc[k:k + len(organ)]) == organ:
                        # "Chinese police stations" is a station, not the police;
                        # "Chinese Police Office" is a name
                        nxt = doc[k + len(organ)] if k + len(organ) < n else None
                        if nxt is not None and (nxt.lower_ in NOT_ORGAN_AFTER
                                                or (nxt.is_title or nxt.is_upper) and nxt.pos_ == "PROPN"):
                            break
                        yield Span(doc, i, k + len(organ), label="STATE_BODY")
                        break
        yield from self._stations(doc)

    def _stations(self, doc: Doc) -> Iterable[Span]:
        """A single overseas police station named by its city: "police station in Prato", "a Chinese
        police station in Manhattan"."""
        for i, tok in enumerate(doc):
            if tok.lower_ != "station" or i == 0 or doc[i - 1].lower_ not in ("police", "service"):
                continue
            start = i - 1
            while start > 0 and doc[start - 1].lower_ in ("police", "overseas", "service") or (
                    start > 0 and doc[start - 1].is_title and doc[start - 1].pos_ == "PROPN"):
                start -= 1
            # "a Chinese police station in Manhattan": the state's adjective is part of its name
            if start > 0 and doc[start - 1].text in self.vocab.demonym_state and doc[start - 1].is_title:
                start -= 1
            end = i + 1
            named = doc[i].is_title
            seat = seat_end(doc, end)
            if seat > end:
                end, named = seat, True
            if named:
                yield Span(doc, start, end, label="OVERSEAS_STATION")


def _joined(best: dict[tuple[int, int], tuple[int, str, str]]) -> dict[tuple[int, int], tuple[int, str, str]]:
    """Two overlapping matches of one entry are one mention: "Iran's Ministry of Intelligence" and
    "Ministry of Intelligence and Security" in "Iran's Ministry of Intelligence and Security"."""
    out = dict(best)
    by_entry: dict[str, list[tuple[int, int]]] = {}
    for (s, e), (_, _, gid) in best.items():
        if gid:
            by_entry.setdefault(gid, []).append((s, e))
    for places in by_entry.values():
        places.sort()
        for k, (s1, e1) in enumerate(places):  # sorted by start: the overlapping ones follow
            for s2, e2 in places[k + 1:]:
                if s2 >= e1:
                    break
                if s1 < s2 and e1 < e2:
                    out[(s1, e2)] = best[(s1, e1)]
    return out


def _possessive(name: str, owners: set[str]) -> str | None:
    """"Hong Kong's national security police" for "Hong Kong national security police": a body's name
    that opens with the place or state it belongs to, written as that place's possessive."""
    words = name.split()
    for k in range(min(4, len(words) - 1), 0, -1):
        owner = " ".join(words[:k])
        if owner.lower() in owners and words[k][:1].islower():
            return f"{owner}'s {' '.join(words[k:])}"
    return None


@Language.factory("frontwatch_gazetteer_v1", default_config={})
def make_gazetteer(nlp: Language, name: str) -> GazetteerRuler:
    """Entity ruler fed by the gazetteer data files (frontwatch/data/gazetteer)."""
    return GazetteerRuler(nlp, load_vocabulary())


class _Words:
    """The texts of a document's tokens, read once: a span's text is then a join, not a spaCy Span."""

    __slots__ = ("doc", "lowers", "texts", "with_ws")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.texts = [t.text for t in doc]
        self.with_ws = [t.text_with_ws for t in doc]
        self.lowers = [t.lower() for t in self.texts]

    def span(self, start: int, end: int) -> str:
        """doc[start:end].text"""
        return "".join(self.with_ws[start:end - 1]) + self.texts[end - 1] if end > start else ""
