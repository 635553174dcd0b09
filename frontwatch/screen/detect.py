"""Which warning signs a conversation shows, said by whom and when, and the level they add up to.

Three things are combined: the wording of each message (spaCy matchers over lower-case lemmas,
see :mod:`.indicators`), the order in time (a move to another platform proposed early counts more;
requests or payments that grow add a sign of their own) and who says what (only the words of the
person who made contact count; the same words from the other side are listed as not counted).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..pipeline import load_base
from .indicators import Catalogue, Indicator, Matchers, Span, load_catalogue, lower_lemmas
from .parse import Conversation

LEVELS = ("none", "low", "elevated", "high")
EXCERPT_CHARS = 90  # context on each side of a match
UNLESS_BEFORE = 6  # tokens: an `unless` match this close before a match cancels it
READ_ALL = 2000  # up to this many messages every message is read; beyond, only the approacher's


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a sign shows: the line, the sender, an excerpt and the matched words."""

    line: int
    sender: str
    excerpt: str
    match: str
    message: int  # index in the conversation
    start: int = 0  # character offset of the match in the message


@dataclass(slots=True)
class Finding:
    """One indicator found, with the lines that show it and what it added to the score."""

    indicator: Indicator
    evidence: list[Evidence]
    turns: int = 1
    score: float = 0.0
    note: str = ""

    @property
    def first_message(self) -> int:
        return min(e.message for e in self.evidence)


@dataclass(slots=True)
class Screening:
    """The result for one conversation."""

    conversation: Conversation
    approacher: str | None
    approacher_reason: str
    findings: list[Finding] = field(default_factory=list)
    mitigations: list[Finding] = field(default_factory=list)
    not_counted: list[Finding] = field(default_factory=list)  # signs in the other side's words
    score: float = 0.0
    level: str = "none"
    reasons: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def engine() -> tuple[Language, Matchers]:
    """The bare English model (tagger and lemmatizer only) and the compiled matchers, built once."""
    nlp = load_base()
    nlp.select_pipes(disable=[p for p in ("parser", "ner") if p in nlp.pipe_names])
    return nlp, Matchers(nlp, load_catalogue())


class _Context:
    """A conversation with its parsed messages, matches and turns."""

    def __init__(self, conv: Conversation, nlp: Language, matchers: Matchers) -> None:
        self.conv = conv
        self.cat: Catalogue = matchers.catalogue
        self.nlp, self.matchers = nlp, matchers
        n = len(conv.messages)
        self.docs: list[Doc | None] = [None] * n  # read on demand: see read()
        self.hits: list[dict[str, list[Span]]] = [{} for _ in range(n)]
        self.turns: list[list[int]] = []  # consecutive messages of one sender read as one turn
        for i, msg in enumerate(conv.messages):
            if self.turns and conv.messages[self.turns[-1][-1]].sender == msg.sender:
                self.turns[-1].append(i)
            else:
                self.turns.append([i])

    def read(self, which: list[int]) -> None:
        """Tag and match these messages (those not read yet)."""
        todo = [i for i in which if self.docs[i] is None]
        texts = (self.conv.messages[i].text for i in todo)
        for i, doc in zip(todo, self.nlp.pipe(texts, batch_size=128), strict=True):
            self.docs[i] = lower_lemmas(doc)
            self.hits[i] = self.matchers.find(doc)

    def doc(self, i: int) -> Doc:
        doc = self.docs[i]
        assert doc is not None, "message not read"
        return doc

    def evidence(self, i: int, span: Span) -> Evidence:
        msg, doc = self.conv.messages[i], self.doc(i)
        a, b = doc[span[0]: span[1]].start_char, doc[span[0]: span[1]].end_char
        line = msg.line_no + (msg.text.count("\n", 0, a) if self.conv.format in ("text", "whatsapp") else 0)
        return Evidence(line, msg.sender, excerpt(msg.text, a, b), msg.text[a:b], i, a)

    def spans(self, i: int, key: str, ind: Indicator) -> list[Span]:
        spans = self.hits[i].get(key, [])
        if ind.has_unless and spans:
            unless = self.hits[i].get(f"{ind.id}#unless", [])
            spans = [s for s in spans if not any(s[0] - UNLESS_BEFORE <= u[0] < s[1] for u in unless)]
        return spans

    def together(self, ind: Indicator, turn: list[int]) -> list[Evidence]:
        """Evidence when every group of the indicator matches within its window in this turn."""
        offsets, total = {}, 0
        for i in turn:
            offsets[i] = total
            total += len(self.doc(i))
        groups = [[(offsets[i] + s[0], i, s) for i in turn for s in self.spans(i, f"{ind.id}#g{g}", ind)]
                  for g in range(ind.groups)]
        for pos, i, span in groups[0]:
            chosen = [(i, span)]
            for other in groups[1:]:
                near = [(abs(p - pos), j, s) for p, j, s in other if abs(p - pos) <= ind.window]
                if not near:
                    break
                _, j, s = min(near)
                chosen.append((j, s))
            else:
                return [self.evidence(j, s) for j, s in chosen]
        return []

    def detect(self, indicators: list[Indicator], counts: Callable[[str], bool]) -> list[Finding]:
        """Findings of these indicators in the turns of the senders ``counts`` accepts."""
        findings = []
        for ind in indicators:
            per_turn: list[list[Evidence]] = []
            for turn in self.turns:
                if not counts(self.conv.messages[turn[0]].sender) or self.docs[turn[0]] is None:
                    continue
                ev = [self.evidence(i, span) for i in turn for span in _apart(self.spans(i, ind.id, ind))]
                if ind.groups:
                    ev += self.together(ind, turn)
                if ev:
                    per_turn.append(ev)
            if per_turn:
                merged = self.merge([e for ev in per_turn for e in ev])
                findings.append(Finding(ind, merged, turns=len(per_turn)))
        return findings

    def merge(self, evidence: list[Evidence]) -> list[Evidence]:
        """One piece of evidence per message and line: the matches joined, one excerpt around them."""
        by_line: dict[tuple[int, int], list[Evidence]] = {}
        for e in evidence:
            by_line.setdefault((e.message, e.line), []).append(e)
        out = []
        for (i, line), group in sorted(by_line.items()):
            text = self.conv.messages[i].text
            spans = sorted({(e.start, e.start + len(e.match)) for e in group})
            kept = [s for s in spans if s[0] - spans[0][0] <= 2 * EXCERPT_CHARS]
            words = list(dict.fromkeys(text[a:b] for a, b in kept))
            quote = excerpt(text, kept[0][0], kept[-1][1])
            out.append(Evidence(line, group[0].sender, quote, " … ".join(words), i, kept[0][0]))
        return out


def _apart(spans: list[Span], most: int = 3) -> list[Span]:
    """Up to ``most`` matches that do not overlap, first ones first."""
    out: list[Span] = []
    for span in spans:
        if len(out) < most and all(span[0] >= o[1] or span[1] <= o[0] for o in out):
            out.append(span)
    return out


def excerpt(text: str, a: int, b: int, width: int = EXCERPT_CHARS) -> str:
    """The matched words with some context, on one line, cut at word boundaries."""
    lo, hi = max(0, a - width), min(len(text), b + width)
    if lo > 0:
        space = text.find(" ", lo, a)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", b, hi)
        hi = space if space >= 0 else hi
    return ("…" if lo > 0 else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")


def find_approacher(ctx: _Context) -> tuple[str | None, str]:
    """Who made contact: the first sender, unless an early message says otherwise."""
    conv = ctx.conv
    senders = conv.senders
    if len(senders) <= 1:
        return (senders[0] if senders else None), "the only sender"
    for i, msg in enumerate(conv.messages[: ctx.cat.cue_window]):
        for side in ("self", "other"):
            spans = ctx.hits[i].get(f"cue#{side}")
            if not spans:
                continue
            said = ctx.doc(i)[spans[0][0]: spans[0][1]].text
            if side == "self":
                return msg.sender, f'{msg.sender} wrote "{said}" (line {msg.line_no})'
            other = next(s for s in senders if s != msg.sender)
            return other, f'{msg.sender} wrote "{said}" (line {msg.line_no}), so {other} made contact'
    return senders[0], "sent the first message"


_AMOUNT = re.compile(  # "$1,500", "2,000 euros", "pay you 500"
    r"(?:(?:US\$|C\$|A\$|NZ\$|\$|€|£|¥|\b(?:USD|EUR|GBP|CAD|AUD|NZD|CHF|RMB|CNY)\b)\s?(\d[\d,.]*)"
    r"\s?(k|m|million|thousand)?\b"
    r"|\b(\d[\d,.]*)\s?(k|m|million|thousand)?\s?(?:US dollars|dollars|usd|eur|euros?|gbp|pounds|quid|"
    r"cad|aud|nzd|francs|chf|yuan|rmb|usdt)\b"
    r"|\b(?:pay|pays|paid|fee of|offer|increase (?:it|the fee) to)\s+(?:you\s+)?(\d[\d,]*(?:\.\d+)?)"
    r"\s?(k|thousand)?\b)",
    re.IGNORECASE)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}


def amounts(text: str) -> list[tuple[float, str]]:
    """Money amounts in a message: (value, the words as written)."""
    out = []
    for m in _AMOUNT.finditer(text):
        number, scale = next((m.group(k), m.group(k + 1)) for k in (1, 3, 5) if m.group(k))
        digits = re.sub(r"[.,](?=\d{3}\b)", "", number).replace(",", "").rstrip(".")
        try:
            value = float(digits) * _SCALE.get((scale or "").lower(), 1)
        except ValueError:
            continue
        out.append((value, m.group(0).strip()))
    return out


def escalation(ctx: _Context, mine: list[int], categories: set[str]) -> Finding | None:
    """Requests that ask for more sensitive material later, or money offers that grow."""
    cat = ctx.cat
    if not categories & cat.escalation_requires:
        return None
    evidence: list[Evidence] = []
    notes = []
    best: tuple[int, int, Span] | None = None  # tier, message, span
    for i in mine:
        if "esc#req" not in ctx.hits[i]:
            continue
        tiers = [(n, ctx.hits[i][f"esc#t{n}"][0]) for n in range(1, cat.escalation_tiers + 1)
                 if f"esc#t{n}" in ctx.hits[i]]
        if not tiers:
            continue
        tier, span = max(tiers)
        if best and tier > best[0]:
            evidence += [ctx.evidence(best[1], best[2]), ctx.evidence(i, span)]
            notes.append(f"a later request asks for more (sensitivity {best[0]} → {tier} "
                         f"of {cat.escalation_tiers})")
            break
        if not best or tier > best[0]:
            best = (tier, i, span)
    grown = next((i for i in mine if "esc#grow" in ctx.hits[i]), None)
    if grown is not None and not evidence:
        evidence.append(ctx.evidence(grown, ctx.hits[grown]["esc#grow"][0]))
        notes.append("asks for more, or offers more money, than before")
    if "money" in categories:
        first: tuple[float, str, int] | None = None
        for i in mine:
            found = amounts(ctx.conv.messages[i].text)
            if not found:
                continue
            value, words = max(found)
            if first is None:
                first = (value, words, i)
            elif value >= cat.payment_growth * first[0]:
                for j, w in ((first[2], first[1]), (i, words)):
                    text = ctx.conv.messages[j].text
                    a = text.find(w)
                    msg = ctx.conv.messages[j]
                    exact = ctx.conv.format in ("text", "whatsapp")
                    line = msg.line_no + (text.count("\n", 0, a) if exact else 0)
                    evidence.append(Evidence(line, msg.sender, excerpt(text, a, a + len(w)), w, j, a))
                notes.append(f"the money offered grows ({first[1]} → {words})")
                break
    if not evidence:
        return None
    return Finding(cat.escalation, ctx.merge(evidence), note="; ".join(notes))


def _score(ctx: _Context, finding: Finding) -> None:
    ind, cat = finding.indicator, ctx.cat
    factor, notes = 1.0, [finding.note] if finding.note else []
    if ind.early_bonus:
        n = len(ctx.conv.messages)
        k = finding.first_message
        if k < cat.timing.get("early_messages", 6) or k < cat.timing.get("early_share", 0.34) * n:
            factor = cat.timing.get("early_factor", 1.5)
            notes.append(f"early: message {k + 1} of {n}")
        else:
            factor = cat.timing.get("late_factor", 0.75)
            notes.append(f"late: message {k + 1} of {n}")
    extra = min(finding.turns - 1, int(cat.repeats.get("max_extra", 2)))
    if extra > 0:
        factor *= 1 + cat.repeats.get("bonus", 0.25) * extra
        notes.append(f"in {finding.turns} turns")
    finding.score = round(ind.weight * factor, 2)
    finding.note = "; ".join(notes)


def _level(ctx: _Context, s: Screening) -> None:
    cat = ctx.cat
    positive = sum(f.score for f in s.findings)
    for f in s.mitigations:
        f.score = f.indicator.weight * min(len({e.match.lower() for e in f.evidence}), cat.mitigator_max_each)
    relief = max(sum(f.score for f in s.mitigations), -cat.mitigator_cap)
    s.score = round(max(0.0, positive + relief), 2)
    core = {f.indicator.category for f in s.findings if cat.categories[f.indicator.category].core}
    labels = ", ".join(sorted(cat.categories[c].label for c in core)) or "none"
    level = "low" if core else "none"
    rule = f"{len(core)} kind(s) of warning sign ({labels})"
    for name in ("elevated", "high"):
        spec = cat.levels.get(name, {})
        if (s.score >= float(spec.get("score", 0)) and len(core) >= int(spec.get("categories", 1))
                and core & set(spec.get("needs_any") or core)):
            level = name
    s.reasons.append(f"{level}: score {s.score:g} from {rule}")
    for combo in cat.combinations:
        raises = LEVELS.index(combo.level) > LEVELS.index(level)
        if combo.all <= core and s.score >= combo.min_score and raises:
            level = combo.level
            s.reasons.append(f"{combo.level}: {combo.reason}")
    if s.mitigations:
        titles = ", ".join(f.indicator.title for f in s.mitigations)
        s.reasons.append(f"lowered by {-relief:g} for signs of a transparent arrangement: {titles}")
    s.level = level


def screen_conversation(conv: Conversation) -> Screening:
    """Screen one conversation."""
    nlp, matchers = engine()
    ctx = _Context(conv, nlp, matchers)
    cat = ctx.cat
    n = len(conv.messages)
    ctx.read(list(range(min(n, cat.cue_window))))
    approacher, why = find_approacher(ctx)
    mine = [i for i, m in enumerate(conv.messages) if m.sender == approacher]
    ctx.read(list(range(n)) if n <= READ_ALL else mine)  # long chats: the other side's words are not read
    s = Screening(conv, approacher, why)
    s.findings = ctx.detect(cat.indicators, lambda who: who == approacher)
    esc = escalation(ctx, mine, {f.indicator.category for f in s.findings})
    if esc:
        s.findings.append(esc)
    for f in s.findings:
        _score(ctx, f)
    s.findings.sort(key=lambda f: (-f.score, f.first_message))
    share, seen = cat.repeats.get("same_category", 1.0), set()
    for f in s.findings:  # a second sign of the same kind adds less
        if f.indicator.category in seen:
            f.score = round(f.score * share, 2)
            f.note = "; ".join(filter(None, [f.note, f"same kind as a sign above: x{share:g}"]))
        seen.add(f.indicator.category)
    s.mitigations = ctx.detect(cat.mitigators, lambda who: who == approacher)
    s.not_counted = ctx.detect(cat.indicators, lambda who: who != approacher)
    _level(ctx, s)
    if approacher:
        s.reasons.append(f"{approacher} is taken to have made contact ({why}); only their words count")
    return s
