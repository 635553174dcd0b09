"""Runs of capitalised words that end in a body's noun, read as one name where the statistical NER made
places and pieces of them ("Canada Toronto FuQing Business Association", "Academy of Social Sciences"):
the first repair of frontwatch.entity_types.v1 (EntityTyper extends BodyRuns)."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..model import ENTITY_TYPES
from .name_evidence import DASHES, NameEvidence, capword
from .span_repairs import SpanList

# small words inside a body's name ("Academy of Social Sciences")
BODY_NAME_JOINERS = {"of", "and", "for", "&"}
NAME_LABELS = {t.upper() for t in ENTITY_TYPES} | {"GPE", "LOC", "ORG", "NORP", "FAC"}


def _bare_start(span: Span) -> int:
    """Where a span starts without its article ("the Social" -> "Social")."""
    return span.start + 1 if span[0].lower_ == "the" and len(span) > 1 else span.start


def _camel(text: str) -> bool:
    """"FuQing", "McGill": capitalised with inner capitals."""
    return text[:1].isupper() and text.isalpha() and any(c.isupper() for c in text[1:])


class BodyRuns(NameEvidence):
    """The names of bodies as runs of capitalised words (`_with_named_bodies`)."""

    def _with_named_bodies(self, doc: Doc) -> list[Span]:
        """The entity spans, where a run of capitalised words ending in a body noun ("Canada Toronto
        FuQing Business Association", "Wuhan Public Security Bureau"), with the "of"/"for" phrase that
        goes on naming it ("Academy of Social Sciences"), replaces the places and pieces the NER made of
        it; gazetteer bodies are kept unless the run only adds words before one ("Social Democratic
        Party")."""
        ents = SpanList(list(doc.ents))
        for head in doc:
            if head.lower_ not in self.run_heads or not head.is_title or head.i == 0:
                continue
            start = head.i
            while start > 0:
                prev = doc[start - 1]
                if prev.is_title or prev.is_upper and prev.is_alpha or _camel(prev.text):
                    if prev.pos_ in ("DET", "ADP", "ADV", "PRON", "VERB", "AUX", "SCONJ", "CCONJ") or (
                            prev.is_sent_start and prev.pos_ != "PROPN"):
                        break  # "The", "In", "Yesterday" starting a sentence are not part of the name
                    start -= 1
                elif prev.lower_ in BODY_NAME_JOINERS and start > 1 and doc[start - 2].is_title:
                    start -= 1
                elif prev.text in DASHES and start > 1 and not prev.whitespace_ and doc[start - 2].is_title \
                        and not doc[start - 2].whitespace_ and doc[start - 2].ent_type_ in NAME_LABELS:
                    start -= 1  # "China–Europe Cultural Association": one name across the dash
                else:
                    break
            while start < head.i and doc[start].lower_ in BODY_NAME_JOINERS:
                start += 1
            end = self._name_tail(doc, head)
            if head.i - start < 1 and end == head.i + 1 or "\n" in doc[start:end].text:
                continue
            inside = ents.overlapping(start, end)
            # a gazetteer body that starts a run with a prepositional tail names its parent: "Senate
            # Committee on National Defense", "UN Working Group on Arbitrary Detention"
            parent = (end > head.i + 1 and len(inside) == 1
                      and inside[0].start == start < inside[0].end <= head.i)
            if any(e.start <= start and e.end >= end or _bare_start(e) < start or e.end > end
                   or e.kb_id_ and e.label_ not in ("PLACE", "COUNTRY") and not self._prefixed(doc, e, start)
                   and not parent for e in inside):
                continue  # already one name, a span reaching outside, a body of the gazetteer: as it is
            ents.replace(inside, Span(doc, start, end, label="ORG"))
        return ents.spans

    def _name_tail(self, doc: Doc, head: Token) -> int:
        """Where a body's name ends: after its head noun, or after an "of"/"for (the)"/"on (the)" phrase of
        capitalised words ("Court of Appeal", "Centre for the Protection of National Infrastructure",
        "Committee on Foreign Affairs")."""
        end = head.i + 1
        if end + 1 >= len(doc):
            return end
        prep = doc[end].lower_
        dated = doc[end + 1].ent_type_ in ("DATE", "TIME")
        if not (prep in ("of", "for") and head.lower_ in self.tail_heads
                or prep == "on" and head.lower_ in self.on_heads and not dated):
            return end
        i = end + 1
        if doc[i].lower_ == "the" and prep in ("for", "on"):
            i += 1
        stop = i
        while stop < len(doc) and (capword(doc[stop]) or doc[stop].lower_ in ("of", "and")
                                   and stop + 1 < len(doc) and stop > i and capword(doc[stop + 1])):
            stop += 1
        while stop > i and not capword(doc[stop - 1]):
            stop -= 1
        return stop if stop > i else end

    def _prefixed(self, doc: Doc, ent: Span, start: int) -> bool:
        """A gazetteer body that the run only lengthens at its start with capitalised words that name
        no state ("Social" + "Democratic Party")."""
        if start >= ent.start:
            return False
        entry = self.vocab.entry_by_id.get(ent.kb_id_)
        own = entry.state if entry is not None else None
        # "Swedish" + "China Council for the Promotion of...": another state's branch is another body
        states = self.vocab.demonym_state
        return all(own is not None and states[t.text] != own if t.text in states
                   else t.ent_type_ not in ("COUNTRY", "PLACE", "GPE") for t in doc[start:ent.start])
