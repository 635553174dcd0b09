"""Claims carried by the shape of a phrase rather than a trigger word.

- roles: "RCMP commissioner Mike Duheme", "Zhao Lijian, a spokesperson for the foreign ministry",
  "Justin Trudeau, Prime Minister of Canada" -> affiliated_with(person, body);
- possessives: "China's Ministry of State Security" -> affiliated_with(body, China);
  "Canada's Global News" -> located_in(outlet, Canada);
- locations: "Il Foglio in Italy", "the Chinese Consulate in Vancouver", "in Prato, Tuscany" -> located_in.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from .args import DocIndex
from .name_evidence import POSSESSIVES

Triple = tuple[int, str, int, Token | None]
ROLE_MODIFIERS = {"former", "senior", "then", "deputy", "acting", "vice", "chief", "top", "ex", "-", "junior",
                  "assistant", "associate", "retired", "current", "veteran", "longtime", "general"}
BODY_TYPES = {"state_body", "organization", "diplomatic_mission", "overseas_station", "country"}
LOCATED_TYPES = {"organization", "overseas_station", "diplomatic_mission", "state_body"}


# "Kremlin-backed Voice of Europe", "CCP-operated police station", "a Tehran-based firm"
HYPHENATED = {"backed": "supports", "supported": "supports", "funded": "funds", "financed": "funds",
              "sponsored": "funds", "linked": "affiliated_with", "affiliated": "affiliated_with",
              "aligned": "affiliated_with", "tied": "affiliated_with", "connected": "affiliated_with",
              "controlled": "controls", "run": "controls", "operated": "controls", "owned": "controls",
              "directed": "controls", "based": "located_in"}


def hyphenated(idx: DocIndex, sent: Span) -> Iterator[Triple]:
    """Claims packed into a hyphenated modifier: "X-backed Y" supports(X, Y), "X-run Y" controls(X, Y),
    "X-linked Y" affiliated_with(Y, X), "X-based Y" located_in(Y, X)."""
    doc = sent.doc
    for tok in sent:
        pred = HYPHENATED.get(tok.lower_)
        if pred is None or tok.i < sent.start + 2 or doc[tok.i - 1].text != "-":
            continue
        actor = idx.entity_at(doc[tok.i - 2])
        if actor is None and doc[tok.i - 2].text in idx.vocab.metonym_state:
            actor = idx.state_entity(idx.vocab.metonym_state[doc[tok.i - 2].text])
        target = idx.entity_at(tok.head) if tok.head.i != tok.i else None
        if target is None:
            target = next((e for e in idx.patient(tok.head)), None)
        if actor is None or target is None or actor == target:
            continue
        if pred in ("affiliated_with", "located_in"):
            yield (target, pred, actor, tok)
        else:
            yield (actor, pred, target, tok)


def structural_claims(idx: DocIndex, sent: Span) -> Iterator[Triple]:
    yield from hyphenated(idx, sent)
    yield from listed(idx, sent)
    roles = idx.vocab.words("types", "role_nouns")
    mentions = _mentions(idx, sent)
    for span, e in mentions:
        typ = idx.ents[e].type
        found = list(_possessive(idx, span, e, typ))
        if typ == "person":
            found += _roles(idx, span, e, roles)
        if typ in LOCATED_TYPES:
            found += _located(idx, span, e)
        # the mention anchors the claim in the parse, so "X reports that there is a station in Y" is X's
        yield from ((s, p, o, span.root) for s, p, o, _ in found)


def listed(idx: DocIndex, sent: Span) -> Iterator[Triple]:
    """A mission of a list ("Iran's consulates in Frankfurt, Hamburg and Munich", listed_missions.py) is
    in its own place and belongs to its state."""
    for x in idx.doc.user_data.get("fw_listed", ()):
        if sent.start <= x.start < sent.end:
            noun = idx.doc[x.start]
            yield (x.ent, "located_in", x.place, noun)
            yield (x.ent, "affiliated_with", idx.state_entity(x.state), noun)


def _mentions(idx: DocIndex, sent: Span) -> list[tuple[Span, int]]:
    out = []
    for ent in idx.ents_in(sent):
        e = idx.entity_at(ent[0])
        if e is not None:
            out.append((ent, e))
    return out


def _is_role(tok: Token, roles: frozenset[str]) -> bool:
    return tok.lower_ in roles or tok.lemma_.lower() in roles


def _roles(idx: DocIndex, span: Span, person: int, roles: frozenset[str]) -> Iterator[Triple]:
    doc = span.doc
    # "RCMP commissioner Mike Duheme", "former U.S. Army reservist Ji Chaoqun"
    i = span.start - 1
    saw_role = False
    while i >= span.sent.start and (_is_role(doc[i], roles) or doc[i].lower_ in ROLE_MODIFIERS):
        saw_role = saw_role or _is_role(doc[i], roles)
        i -= 1
    if saw_role and i >= span.sent.start:
        body = idx.entity_at(doc[i])
        if body is not None and body != person and idx.ents[body].type in BODY_TYPES:
            yield (person, "affiliated_with", body, None)
    root = span.root
    # "Zhao Lijian, a spokesperson for the Chinese foreign ministry" / "(director of the X)"
    descr = [c for c in root.children if c.dep_ == "appos" and c.i >= span.end]
    # "CSIS's director, David Vigneault,", "a spokeswoman for Germany's Foreign Office, Andrea Sasse,":
    # the person names the role of a body
    if root.dep_ == "appos" and root.head.i < span.start and doc[span.start - 1].text in (",", "("):
        head = root.head
        if head.dep_ == "pobj" and head.head.lower_ in ("for", "of", "at") and head.head.head.i < head.i:
            head = head.head.head  # the parser hangs the name on the body's name
        descr.append(head)
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        descr += [c for c in root.head.children if c.dep_ == "attr"]
    for rel in root.children:  # "Rai, who was the station chief of RAW"
        if rel.dep_ == "relcl" and rel.lemma_ == "be" and any(
                c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in rel.children):
            descr += [c for c in rel.children if c.dep_ == "attr"]
    for d in list(descr):
        descr += [c for c in d.children if c.dep_ == "conj"]
    for d in descr:
        if not _is_role(d, roles):
            continue
        for c in d.children:
            if c.dep_ in ("compound", "nmod", "poss"):
                body = idx.entity_at(c)
                if body is not None and body != person and idx.ents[body].type in BODY_TYPES - {"country"}:
                    yield (person, "affiliated_with", body, None)
            elif c.dep_ == "prep" and c.lower_ in ("of", "for", "with", "at", "to") and (
                    d.i > span.start or c.lower_ in ("of", "for", "at")):  # not "ambassador to China, X"
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    for body in idx.patient(g):
                        if idx.ents[body].type in BODY_TYPES:
                            yield (person, "affiliated_with", body, None)


def _possessive(idx: DocIndex, span: Span, e: int, typ: str) -> Iterator[Triple]:
    """"China's Ministry of State Security": the possessor state owns a body or hosts an outlet."""
    doc = span.doc
    owner: int | None = None
    if len(span) > 2 and span[1].text in POSSESSIVES and idx.vocab.state_by_name.get(span[0].lower_):
        owner = idx.state_entity(idx.vocab.state_by_name[span[0].lower_])
    elif span.start >= 2 and doc[span.start - 1].text in POSSESSIVES:
        owner = idx.entity_at(doc[span.start - 2])
    elif span.root.dep_ == "conj" and (head_ent := idx.entity_at(span.root.head)) is not None:
        # "China's Ministry of State Security and United Front Work Department"
        head = span.root.head
        first = next((m for m in idx.ents[head_ent].mentions if m.start <= head.i < m.end), None)
        if first is not None and first.start >= 2 and doc[first.start - 1].text in POSSESSIVES:
            owner = idx.entity_at(doc[first.start - 2])
        elif first is not None and len(first) > 2 and first[1].text in POSSESSIVES:
            sid = idx.vocab.state_by_name.get(first[0].lower_)
            owner = idx.state_entity(sid) if sid else None
    elif (apposed := _apposed_to(span.root)) is not None:
        # "Canada's two main parties, the Liberal Party and the Conservative Party"
        owner = next((idx.entity_at(c) for c in apposed.children if c.dep_ == "poss"), None)
    if owner is None or owner == e or idx.ents[owner].type != "country":
        return
    if typ in ("state_body", "diplomatic_mission"):
        yield (e, "affiliated_with", owner, None)
    elif typ == "organization":
        yield (e, "located_in", owner, None)


def _apposed_to(tok: Token) -> Token | None:
    """The noun a name stands in apposition to, through coordination ("parties, X and Y")."""
    while tok.dep_ == "conj":
        tok = tok.head
    return tok.head if tok.dep_ == "appos" else None


def _located(idx: DocIndex, span: Span, e: int) -> Iterator[Triple]:
    """"the Chinese Consulate in Vancouver", "Il Foglio in Italy", "in Prato, Tuscany"."""
    doc = span.doc
    places: list[int] = []
    after = span.end  # where the place name ends
    named_by_place = idx.ents[e].type in ("diplomatic_mission", "overseas_station")
    for i in range(span.start + 1, span.end - 1):  # "the Consulate in Vancouver": the place in the name
        if named_by_place and doc[i].lower_ in ("in", "at"):
            places += _place_entity(idx, doc[i + 1:span.end])
            break
    if not places and after + 1 < len(doc) and doc[after].lower_ in ("in", "at", "based"):
        if doc[after].lower_ == "based" and after + 2 < len(doc) and doc[after + 1].lower_ == "in":
            after += 1
        p = idx.entity_at(doc[after + 1])
        if p is not None and idx.ents[p].type in ("place", "country"):
            places.append(p)
            after += 2
            while after < len(doc) and idx.entity_at(doc[after]) == p:
                after += 1
    if places and after + 1 < len(doc) and doc[after].text == ",":
        region = idx.entity_at(doc[after + 1])  # "in Prato, Tuscany"
        if region is not None and idx.ents[region].type == "place":
            places.append(region)
    for p in places:
        if p != e:
            yield (e, "located_in", p, None)


def _place_entity(idx: DocIndex, tokens: Span) -> list[int]:
    """The entity a place name inside another name stands for; made when the text names it only there."""
    from .aliases import DocEntity, norm  # local: avoids a cycle at import time

    text = tokens.text
    for ent in idx.ents:
        if ent.type in ("place", "country") and (ent.name == text or text in ent.forms):
            return [ent.idx]
        if ent.type == "place" and norm(ent.name) == norm(text):
            return [ent.idx]  # "The Hague" in a body's name, "Hague" where the NER left "the" out
    sid = idx.vocab.place_state.get(text.lower())
    typ = "country" if text.lower() in idx.vocab.state_by_name else "place"
    if not sid and not tokens[0].is_title:
        return []
    ent = DocEntity(len(idx.ents), text, typ, None, sid)
    ent.mentions.append(tokens)
    idx.ents.append(ent)
    return [ent.idx]
