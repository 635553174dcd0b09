"""Documents in, Extraction records out: runs the pipeline and turns its annotations into the model."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from .model import Claim, Document, Entity, Evidence, Extraction, Mention
from .pieces import cut, join
from .pipeline import load_pipeline
from .pipeline.aliases import DocEntity
from .pipeline.claims import FoundClaim
from .pipeline.run import pipe
from .pipeline.written_forms import written_forms

STANCE_RANK = {"asserted": 0, "alleged": 1, "denied": 2}
CHUNK = 8  # documents a worker process extracts in one nlp.pipe call


def to_extraction(document: Document, doc: Doc) -> Extraction:
    """The entities and claims of a processed spaCy Doc as model objects."""
    ents: list[DocEntity] = doc._.fw_entities or []
    found: list[FoundClaim] = doc._.fw_claims or []
    used = {c.subj for c in found} | {c.obj for c in found}
    used |= {c.attributed for c in found if c.attributed is not None}
    # descriptions the claim model resolved ("the agency") are mentions, not aliases: a generic
    # phrase as an alias would join unrelated actors across documents
    coref: dict[int, list[Mention]] = {}
    for e, (start, end) in doc.user_data.get("fw_coref_mentions", []):
        coref.setdefault(e, []).append(Mention(start, end, doc.text[start:end]))
    written = written_forms(doc, ents)
    entities = [
        Entity(name=e.name, type=e.type, aliases=[f for f in e.forms if f != e.name] + written.get(e.idx, []),
               mentions=sorted([Mention(m.start_char, m.end_char, m.text) for m in e.mentions + e.listed]
                               + coref.get(e.idx, []), key=lambda m: (m.start, m.end)),
               gazetteer_id=e.gid)
        for e in ents if e.mentions or e.listed or e.idx in used
    ]
    return Extraction(document=document, entities=entities, claims=merge_claims(doc, ents, found))


def merge_claims(doc: Doc, ents: list[DocEntity], found: list[FoundClaim]) -> list[Claim]:
    """One claim per (subject, predicate, object): asserted anywhere wins over alleged (SCHEMA);
    a specific denial wins over both; the first evidence sentence is kept."""
    merged: dict[tuple[str, str, str], Claim] = {}
    dates = doc.user_data.get("fw_dates", [])
    money = doc.user_data.get("fw_money", [])
    for c in found:
        s, o = ents[c.subj].name, ents[c.obj].name
        if c.pred == "meets" and o < s:
            s, o = o, s
        key = (s, c.pred, o)
        claim = merged.get(key)
        if claim is None:
            sent = c.sent
            merged[key] = Claim(
                subject=s, predicate=c.pred, object=o, stance=c.stance,
                attributed_to=ents[c.attributed].name if c.attributed is not None else None,
                tactic=c.tactic, evidence=_evidence(sent),
                date=_span_text(doc, dates, sent, c.head), amount=_span_text(doc, money, sent, c.head)
                if c.pred in ("funds", "supports") else None,
                trigger=c.trigger.text if c.trigger is not None else None,
                confidence=c.confidence, explanation=list(c.features or ["rules (v1)"]),
            )
            continue
        claim.confidence = max(claim.confidence, c.confidence)
        if c.stance == "denied" or (c.stance == "asserted" and claim.stance == "alleged"):
            claim.stance = c.stance
            claim.attributed_to = ents[c.attributed].name if c.attributed is not None else None
        if claim.tactic is None and c.tactic is not None:
            claim.tactic = c.tactic
    return list(merged.values())


def _evidence(sent: Span) -> Evidence:
    """The sentence without the whitespace tokens spaCy keeps at its edges ("\n\n" after a
    paragraph), with offsets moved to match, so text[start:end] == evidence always holds."""
    raw = sent.text
    text = raw.strip()
    start = sent.start_char + (len(raw) - len(raw.lstrip()))
    return Evidence(text, start, start + len(text))


def _span_text(doc: Doc, spans: list[tuple[int, int]], sent: Span, head: Token) -> str | None:
    """The date or amount of the sentence that belongs to the claim: one the claim's word governs
    ("joined ... in 2021", not "Expelled in 2015, X joined ..."), else the nearest to it."""
    inside = [(s, e) for s, e in spans if sent.start <= s and e <= sent.end]
    if not inside:
        return None

    def clause(tok: Token) -> Token:  # the verb whose clause holds the word
        for t in tok.ancestors:
            if t.pos_ in ("VERB", "AUX"):
                return t
        return tok.sent.root

    def rank(span: tuple[int, int]) -> tuple[int, int]:
        governed = clause(doc[span[0]:span[1]].root) in (head, clause(head))
        return (0 if governed else 1, min(abs(span[0] - head.i), abs(span[1] - 1 - head.i)))

    s, e = min(inside, key=rank)
    return doc[s:e].text


def extract_one(document: Document) -> Extraction:
    """Extract entities and claims from one document."""
    return extract_chunk([document])[0]


def extract_chunk(documents: list[Document]) -> list[Extraction]:
    """Extract a few documents in one `nlp.pipe` call (about 12 % faster a document than one by one).
    A text longer than PIECE_CHARS goes through in pieces, joined again (pieces.py)."""
    nlp = load_pipeline()
    pieces = [(n, offset, piece) for n, d in enumerate(documents) for offset, piece in cut(d.text)]
    docs = pipe(nlp, ((piece, (n, offset)) for n, offset, piece in pieces), batch_size=max(len(documents), 1))
    parts: list[list[tuple[int, Extraction]]] = [[] for _ in documents]
    for doc, (n, offset) in docs:
        parts[n].append((offset, to_extraction(documents[n], doc)))
    return [p[0][1] if len(p) == 1 else join(p) for p in parts]


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_documents(documents: Iterable[Document], jobs: int = 1, batch_size: int = 16,
                      background: bool = False) -> Iterator[Extraction]:
    """Extract documents in order, with `jobs` processes (each loads the model once). With
    `background`, even one job runs in its own process, so the caller's work on each result (such as
    writing it to the store) overlaps with the extraction of the next documents."""
    if jobs <= 1 and not background:
        for chunk in _chunks(documents, batch_size):
            yield from extract_chunk(chunk)
        return
    # Load in the parent first: a missing model is then one ModelNotFoundError here (an initializer
    # that raises makes the pool respawn workers forever), and forked workers inherit the loaded
    # pipeline instead of each spending seconds loading it again.
    load_pipeline()
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs, initializer=load_pipeline) as pool:
        for extractions in pool.imap(extract_chunk, _chunks(documents, CHUNK)):
            yield from extractions
