"""frontwatch.aliases.v1: within-document alias linking.

Mentions become one entity when they share a gazetteer id or normalised name, when one is the acronym of
the other ("(CSIS)" or standing alone), when a surname or given name repeats a person named in full
earlier, when a lone word is the one named body it shortens ("the Treasury" after "U.S. Treasury
Department"), and "the Consulate" when one consulate is in play. Capitals used as metonyms join their state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..vocab import Vocabulary, load_vocabulary
from .given_names import PARTICLES, PRONOUN_GENDER, gender_of

STOP = {"of", "the", "and", "for", "in", "on", "de", "du", "la", "le", "&", "at", "to"}
BODY_TYPES = {"state_body", "organization", "diplomatic_mission"}
# "Britain's domestic security service": a description of a state's service (see _state_service)
SERVICE_WORDS = {"intelligence", "spy", "security", "counterintelligence", "counter-intelligence"}
SERVICE_HEADS = {"service", "agency", "directorate"}
SERVICE_KINDS = {"intelligence", "security"}
HONORIFICS = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sir", "Dame", "Prof", "Prof."}
PRONOUNS = {"he", "she", "him", "his", "her"}
IN_CITY = re.compile(r"\b(in|at)\b")
GENERIC_MISSION = re.compile(r"^(the )?(consulate|embassy)( general)?$", re.I)


@dataclass(slots=True)
class DocEntity:
    """One actor in one document: its canonical name, type and mentions."""

    idx: int
    name: str
    type: str
    gid: str | None = None
    state: str | None = None
    mentions: list[Span] = field(default_factory=list)
    # plural nouns that name it with others ("consulates" of "Iran's consulates in Frankfurt, Hamburg and
    # Munich", listed_missions.py): where the text names it, never one of its forms
    listed: list[Span] = field(default_factory=list)

    @property
    def forms(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.text, None)
        return list(seen)


def norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[.']", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", text).strip())


def acronym(text: str) -> str:
    """Initials of the capitalised words: "Canadian Security Intelligence Service" -> "CSIS"."""
    words = [w for w in re.split(r"[\s\-]+", text.replace("'s", "")) if w and w.lower() not in STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


class AliasLinker:
    """Groups entity mentions of one document into DocEntity clusters."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.short_heads = vocab.words("types", "short_form_heads")

    def __call__(self, doc: Doc) -> Doc:
        ents: list[DocEntity] = []
        by_key: dict[str, int] = {}
        tok2ent = [-1] * len(doc)
        persons: list[DocEntity] = []

        def attach(span: Span, ent: DocEntity) -> None:
            ent.mentions.append(span)
            for t in range(span.start, span.end):
                tok2ent[t] = ent.idx
            for k in self._keys(span, ent):
                if k.startswith("w:") and by_key.get(k, ent.idx) != ent.idx:
                    by_key[k] = -1  # two bodies share the short form: it names neither
                by_key.setdefault(k, ent.idx)

        for span in doc.ents:
            typ = span.label_.lower()
            gid = span.kb_id_ or None
            state = self._state(gid, span, typ)
            if typ == "country" and state:
                gid = gid or state
            target = self._find(span, typ, gid, by_key, ents, persons)
            described = self._described(span, typ, tok2ent, ents) if target is None else None
            if described is not None:  # "Russia's military intelligence agency, the GRU": the name wins
                described.name, described.gid = self._canonical(span, gid, typ), gid or described.gid
                target = described
            if target is None:
                name = self._canonical(span, gid, typ)
                target = DocEntity(len(ents), name, typ, gid, state)
                ents.append(target)
                if typ == "person":
                    persons.append(target)
            elif typ == "person" and target.type == "person" and len(span) > len(target.name.split()):
                target.name = span.text
            attach(span, target)
            self._parenthetical_acronym(doc, span, target, by_key)
        ents = self._merge_descriptions(doc, ents, tok2ent)
        ents = self._merge(ents, tok2ent, self._state_service(ents))
        ents = self._merge(ents, tok2ent, self._other_names(doc, tok2ent))
        self._pronouns(doc, tok2ent, ents)
        from .listed_missions import listed_missions  # local: it builds DocEntity objects of this module

        listed_missions(doc, ents, tok2ent, self.vocab)
        doc._.fw_entities = ents
        doc.user_data["fw_tok2ent"] = tok2ent
        return doc

    def _state(self, gid: str | None, span: Span, typ: str) -> str | None:
        if gid and gid in self.vocab.states:
            return gid
        if gid and gid in self.vocab.entry_by_id:
            return self.vocab.entry_by_id[gid].state
        if typ == "country":
            return self.vocab.state_by_name.get(span.text.lower()) or self.vocab.metonym_state.get(span.text)
        for n in (3, 2, 1):  # "Chinese Consulate", "PRC Consulate", "People's Republic Consulate"
            head = span[:n].text
            sid = self.vocab.demonym_state.get(head) or self.vocab.state_by_name.get(head.lower())
            if sid:
                return sid
        return None

    def _canonical(self, span: Span, gid: str | None, typ: str) -> str:
        if gid and gid in self.vocab.states:
            return self.vocab.states[gid].name
        if gid and gid in self.vocab.entry_by_id:
            return self.vocab.entry_by_id[gid].name
        if typ == "place" and span.start > 0 and span.doc[span.start - 1].lower_ == "the" \
                and f"the {span.text.lower()}" in self.vocab.place_state:
            return f"The {span.text}"  # the NER leaves "The" out of "The Hague"
        if span.text.isupper() and span.start in span.doc.user_data.get("fw_datelines", ()):
            return span.text.title()  # "WASHINGTON (Reuters) -"
        return re.sub(r"\s+", " ", re.sub(r"[\"“”]", " ", span.text)).strip()  # 'known as "Harry" Lu'

    def _keys(self, span: Span, ent: DocEntity) -> list[str]:
        keys = [f"n:{norm(span.text)}", f"n:{norm(ent.name)}"]
        if ent.gid:
            keys.append(f"g:{ent.gid}")
        if ent.type == "diplomatic_mission" and ent.state and not IN_CITY.search(span.text):
            keys.append(f"m:{ent.state}:{span[-1].lower_}")  # "Chinese Consulate" = "PRC Consulate"
        if len(span) > 1 and ent.type != "person":
            acr = acronym(span.text)
            if len(acr) >= 3:
                keys.append(f"a:{acr}")
            for core in {self._core_word(span.text), self._core_word(ent.name)} - {None}:
                keys.append(f"w:{core}")  # "the Treasury" after "Department of the Treasury"
        if ent.type == "state_body":
            # "Office for the Eastern District", "Office, Southern District of New York"
            cut = " for the " if " for the " in span.text else "Office, " if "Office, " in span.text else None
            if cut:
                keys.append(f"d:{norm(span.text.split(cut, 1)[1])}")
        return keys

    def _core_word(self, name: str) -> str | None:
        """The one word of a body's name that is neither a state's nor a head: "Treasury" of "U.S. Treasury
        Department"; None for names with more or fewer such words."""
        words = [w for w in name.split() if w.lower() not in self.short_heads and not self.vocab.state_of(w)]
        if len(words) != 1 or not words[0].isalpha() or not words[0][0].isupper() or len(words[0]) < 3:
            return None
        return words[0].lower()

    def _find(self, span: Span, typ: str, gid: str | None, by_key: dict[str, int], ents: list[DocEntity],
              persons: list[DocEntity]) -> DocEntity | None:
        if gid and f"g:{gid}" in by_key:
            return ents[by_key[f"g:{gid}"]]
        state = self._state(gid, span, typ)
        if typ == "diplomatic_mission" and state and f"m:{state}:{span[-1].lower_}" in by_key \
                and not IN_CITY.search(span.text):
            return ents[by_key[f"m:{state}:{span[-1].lower_}"]]
        if typ == "diplomatic_mission" and state and not IN_CITY.search(span.text):
            # "the Chinese consulate in Vancouver", then "the Chinese consulate": the one named before
            placed = [e for e in ents if e.type == typ and e.state == state and IN_CITY.search(e.name)
                      and span[-1].lower_ in e.name.lower().split()]
            if len(placed) == 1:
                return placed[0]
        name = norm(span.text)
        if f"n:{name}" in by_key:
            return ents[by_key[f"n:{name}"]]
        if typ == "state_body" and f"d:{name}" in by_key:
            return ents[by_key[f"d:{name}"]]  # "Eastern District of New York" after its office
        text = span.text
        words = text.split()
        if typ == "person" and len(words) == 2:  # "Wang Shujun" and "Shujun Wang": one person
            other = by_key.get(f"n:{norm(words[1] + ' ' + words[0])}")
            if other is not None and ents[other].type == "person":
                return ents[other]
        if typ == "person" and len(words) == 2:  # "Lord Hughes" after "Lord Hughes of Ombersley"
            peers = [p for p in persons if p.name.startswith(text + " of ")]
            if len(peers) == 1:
                return peers[0]
        if text.isupper() and 2 <= len(text) <= 8 and f"a:{text}" in by_key:
            return ents[by_key[f"a:{text}"]]
        # a surname or given name alone ("Lijian", "CG Tong"), never another full name ("Kamalpreet Singh")
        # "al-Qahtani" after "Saud al-Qahtani", "bin Nayef" after "Mohammed bin Nayef": a particle leads
        particle = len(words) == 2 and words[0].lower() in PARTICLES
        short = len(words) == 1 or len(words) == 2 and (
            words[0] in HONORIFICS or words[0].isupper() or particle)
        core = words[-1].split("-")[-1] if words[-1][:3].lower() in ("al-", "el-") else words[-1]
        # the model may tag a surname as an organisation and a word it knows as a verb ("Woo"): a single
        # capitalised word with no gazetteer entry that is a named person's surname is that person
        lone = len(words) == 1 and gid is None and typ not in ("country", "place") and text[:1].isupper()
        if short and (typ == "person" or span[0].pos_ == "PROPN" or particle or lone):
            named = [p for p in persons if len(p.name.split()) > len(words) and words[-1] in p.name.split()
                     and core[:1].isupper() and (not particle or p.name.split()[-2:] == words)]
            if named:  # two people share the surname: it is the one the text has named most so far
                return max(named, key=lambda p: (len(p.mentions), -p.idx))
        if typ == "person" and len(words) >= 2:  # "Putin" first, "Vladimir Putin" later: one person
            for p in reversed(persons):
                if p.name == words[-1]:
                    return p
            # "the Mueller indictment" in a headline, typed as a body, then "Robert Mueller"
            for e in ents:
                if e.name == words[-1] and e.type not in ("person", "country", "place") and e.gid is None:
                    e.type = "person"
                    persons.append(e)
                    return e
        body = by_key.get(f"w:{text.lower()}", -1) if len(words) == 1 and typ != "person" else -1
        if body >= 0 and text.lower() not in self.short_heads and ents[body].type != "person":
            return ents[body]  # "Treasury" after "U.S. Treasury Department"
        if typ == "diplomatic_mission" and IN_CITY.search(text):
            # "the Eritrean embassy in The Hague" and "the embassy in The Hague", in either order
            same = [e for e in ents if e.type == typ and _seated_forms(text, e.name)]
            if len(same) == 1:
                return same[0]
        if typ == "diplomatic_mission" and GENERIC_MISSION.match(text):
            missions = [e for e in ents if e.type == "diplomatic_mission"]
            if len(missions) == 1:
                return missions[0]
        return None

    @staticmethod
    def _described(span: Span, typ: str, tok2ent: list[int], ents: list[DocEntity]) -> DocEntity | None:
        """The unnamed body a name stands in apposition to ("China's spy agency, the MSS"), if any."""
        head = span.root.head
        if span.root.dep_ != "appos" or typ not in BODY_TYPES or tok2ent[head.i] < 0:
            return None
        ent = ents[tok2ent[head.i]]
        if ent.type not in BODY_TYPES or ent.gid or len(ent.mentions) != 1:
            return None
        described = ent.mentions[0]
        return ent if described.end <= span.start and described[-1].is_lower else None

    @staticmethod
    def _merge_descriptions(doc: Doc, ents: list[DocEntity], tok2ent: list[int]) -> list[DocEntity]:
        """A description in apposition with a named body is one of its names: "the GRU, Russia's
        military intelligence service" and "Australia's domestic intelligence agency, ASIO"."""
        into: dict[int, int] = {}
        for ent in ents:
            if len(ent.mentions) != 1 or ent.gid or ent.type not in BODY_TYPES:
                continue
            desc = ent.mentions[0]
            if not desc[-1].is_lower:
                continue
            root = desc.root
            others = [root.head] if root.dep_ == "appos" else []
            others += [c for c in root.children if c.dep_ == "appos"]
            named_next = AliasLinker._name_after_comma(doc, desc, ents, tok2ent)
            if named_next is not None:
                others.append(named_next)
            for o in others:
                e = tok2ent[o.i]
                named = e >= 0 and e != ent.idx and not ents[e].mentions[0][-1].is_lower
                if named and ents[e].type in BODY_TYPES:
                    into[ent.idx] = e
                    break
        return AliasLinker._merge(ents, tok2ent, into)

    def _state_service(self, ents: list[DocEntity]) -> dict[int, int]:
        """A state's service named only by description ("Britain's domestic security service took the
        step") is the one intelligence or security body of that state the document names (MI5), when it
        names exactly one; with none or several, the description stays an entity of its own."""
        def named_service(ent: DocEntity) -> bool:
            if all(m[-1].is_lower for m in ent.mentions):
                return False  # a description too ("Indian intelligence"): no name to join
            entry = self.vocab.entry_by_id.get(ent.gid or "")
            if entry is not None:
                return entry.kind in SERVICE_KINDS
            return bool(set(ent.name.lower().split()) & SERVICE_WORDS)

        services: dict[str, list[int]] = {}  # state -> its named services, read once (long texts)
        for e in ents:
            if e.type == "state_body" and e.state and named_service(e):
                services.setdefault(e.state, []).append(e.idx)
        into: dict[int, int] = {}
        for ent in ents:
            if ent.gid or ent.type != "state_body" or not ent.state or not all(
                    m[-1].is_lower and m.root.lemma_ in SERVICE_HEADS and m.root.tag_ != "NNS"
                    and any(t.lower_ in SERVICE_WORDS for t in m) for m in ent.mentions):
                continue
            named = services.get(ent.state, [])
            if len(named) == 1:
                into[ent.idx] = named[0]
        return into

    @staticmethod
    def _name_after_comma(doc: Doc, desc: Span, ents: list[DocEntity], tok2ent: list[int]) -> Token | None:
        """The name right after a description and a comma, closed by punctuation: "director-general of
        Australia's domestic intelligence agency, ASIO, ..." (the parser often hangs the name on the
        person). None when the name opens or continues a list ("the agency, the ministry and the police")."""
        if desc.end + 1 >= len(doc) or doc[desc.end].text != ",":
            return None
        nxt = doc[desc.end + 1]
        e = tok2ent[nxt.i]
        mention = next((m for m in ents[e].mentions if m.start == nxt.i), None) if e >= 0 else None
        if mention is None or nxt.dep_ == "conj" or any(c.dep_ in ("cc", "conj")
                                                         for c in mention.root.children):
            return None
        return nxt if mention.end >= len(doc) or doc[mention.end].text in (",", ".", ")", ";") else None

    def _other_names(self, doc: Doc, tok2ent: list[int]) -> dict[int, int]:
        """People named twice over: "Petrov, real name Alexander Mishkin", "Protasevich (also spelled
        Pratasevich)", "a passport in the name of Vadim Sokolov" (types.yaml, other_name_phrases)."""
        between = self.vocab.words("types", "other_name_between")
        before = self.vocab.words("types", "other_name_before")
        people = [e for e in doc.ents if e.label_ == "PERSON" or e.label_ == "ORGANIZATION"
                  and 2 <= len(e) <= 3
                  and all(t.is_alpha and t.text[:1].isupper() and not t.is_upper for t in e)]
        into: dict[int, int] = {}
        for i, later in enumerate(people):
            src = tok2ent[later.start]
            if src < 0:
                continue
            for earlier in reversed(people[:i]):
                if earlier.sent.start != later.sent.start:
                    break  # the names are in document order: all the others are in earlier sentences
                if earlier.end > later.start:
                    continue
                if earlier.label_ != "PERSON":
                    continue
                dst = tok2ent[earlier.start]
                gap = norm(re.sub(r"[\"“”(),]", " ", doc[earlier.end:later.start].text))
                if dst >= 0 and dst != src and (gap in between or any(gap.endswith(p) for p in before)):
                    into.setdefault(src, dst)
                break  # only the nearest person before
        return into

    @staticmethod
    def _merge(ents: list[DocEntity], tok2ent: list[int], into: dict[int, int]) -> list[DocEntity]:
        """Folds the entities `into` maps (source index -> destination index) into their destinations."""
        if not into:
            return ents
        for src, dst in into.items():
            while dst in into:
                dst = into[dst]
            ents[dst].mentions.extend(ents[src].mentions)
            ents[dst].mentions.sort(key=lambda m: m.start)
        kept = [x for x in ents if x.idx not in into]
        new_idx = {x.idx: i for i, x in enumerate(kept)}
        for src, dst in into.items():
            while dst in into:
                dst = into[dst]
            new_idx[src] = new_idx[dst]
        for t, old in enumerate(tok2ent):
            if old >= 0:
                tok2ent[t] = new_idx[old]
        for i, x in enumerate(kept):
            x.idx = i
        return kept

    def _pronouns(self, doc: Doc, tok2ent: list[int], ents: list[DocEntity]) -> None:
        """he/she/his/her -> the person mentioned last, within the two sentences before (not an alias)."""
        pron: dict[int, int] = {}
        last: tuple[int, int] | None = None  # (entity, sentence start)
        sexes: dict[str | None, tuple[int, int] | None] = {}  # the last such person of each sex, or none
        body: tuple[int, int] | None = None  # the last organisation or state body that was a subject
        for tok in doc:
            e = tok2ent[tok.i]
            if e >= 0 and ents[e].type in BODY_TYPES and tok.dep_ == "nsubj":
                body = (e, tok.sent.start)
            elif tok.lower_ in ("it", "they") and tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" \
                    and body is not None and body[1] < tok.sent.start and tok.sent.start - body[1] < 80 \
                    and not any(c.dep_ == "appos" for c in tok.children):
                pron[tok.i] = body[0]  # "The Foreign Office said ... It attributed the campaign to ..."
            # only a person who was the subject of a clause is a safe antecedent, or one in apposition to
            # the subject ("One of those advisers, Dennis Itumbi, said that his account ...")
            if e >= 0 and ents[e].type == "person" and (tok.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT")
                                                        or _apposed_to_subject(tok)):
                last = (e, tok.sent.start)
                sexes[gender_of(ents[e].name)] = last
            elif tok.lower_ in PRONOUNS and tok.pos_ == "PRON" and last is not None:
                # "Hedvig Moe said ... he had lived in Brazil": not her, the last man or unknown before her
                if gender_of(ents[last[0]].name) == PRONOUN_GENDER[tok.lower_]:
                    same = [x for g, x in sexes.items() if g != PRONOUN_GENDER[tok.lower_] and x is not None]
                    ref = max(same, key=lambda x: x[1]) if same else None
                else:
                    ref = last
                if ref is not None and tok.sent.start - ref[1] < 120:
                    pron[tok.i] = ref[0]
        doc.user_data["fw_pron2ent"] = pron

    def _parenthetical_acronym(self, doc: Doc, span: Span, ent: DocEntity, by_key: dict[str, int]) -> None:
        """"Canadian Security Intelligence Service (CSIS)": the acronym joins the entity."""
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            acr = doc[span.end + 1].text
            # "NEW YORK (AP)": a place is given no acronym that is a known name of its own
            own = doc[span.end + 1].ent_kb_id_ not in ("", ent.gid) and ent.type in ("place", "country")
            if acr.isupper() and 2 <= len(acr) <= 8 and not own:
                by_key.setdefault(f"a:{acr}", ent.idx)
                by_key.setdefault(f"n:{norm(acr)}", ent.idx)


def _seated_forms(a: str, b: str) -> bool:
    """One mission's name and its lower-case form ("Eritrean embassy in The Hague", "embassy in The
    Hague"), in either order."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return short[:1].islower() and long_.lower().endswith(" " + short.lower())


def _apposed_to_subject(tok: Token) -> bool:
    """Whether a word stands in apposition, directly or through other appositions, to a clause's subject
    ("One of those advisers, the digital strategist Dennis Itumbi, said ...")."""
    head = tok
    while head.dep_ == "appos":  # a sentence's root is never an apposition, so this stops
        head = head.head
    return head is not tok and head.dep_ in ("nsubj", "nsubjpass")


@Language.factory("frontwatch_aliases_v1", default_config={})
def make_alias_linker(nlp: Language, name: str) -> AliasLinker:
    """Links the mentions of one document into entities with all their surface forms."""
    if not Doc.has_extension("fw_entities"):
        Doc.set_extension("fw_entities", default=None)
    return AliasLinker(load_vocabulary())
