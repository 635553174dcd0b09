"""A screening as a JSON-ready dict, and as text for the terminal (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from .advice import advice
from .detect import Evidence, Finding, Screening

PRIVACY = "Screened on this computer only: nothing was stored and nothing was sent anywhere."
LEVEL_STYLE = {"none": "green", "low": "cyan", "elevated": "bold yellow", "high": "bold red"}


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"line": e.line, "sender": e.sender, "excerpt": e.excerpt, "match": e.match}


def _finding(f: Finding, full: bool = True) -> dict[str, Any]:
    ind = f.indicator
    out: dict[str, Any] = {"id": ind.id, "title": ind.title}
    if full:
        out |= {"description": ind.description, "advisories": list(ind.advisories), "category": ind.category,
                "weight": ind.weight, "score": f.score, "note": f.note}
    elif f.score:
        out["score"] = f.score
    out["evidence"] = [_evidence(e) for e in f.evidence]
    return out


def to_dict(s: Screening, country: str | None = None) -> dict[str, Any]:
    """Everything the text report shows, as plain JSON types."""
    conv = s.conversation
    return {
        "source": conv.source,
        "format": conv.format,
        "messages": len(conv.messages),
        "senders": conv.senders,
        "approacher": s.approacher,
        "approacher_reason": s.approacher_reason,
        "level": s.level,
        "alerting": s.level in ("elevated", "high"),
        "score": s.score,
        "reasons": list(s.reasons),
        "indicators": [_finding(f) for f in s.findings],
        "mitigations": [_finding(f, full=False) for f in s.mitigations],
        "not_counted": [_finding(f, full=False) for f in s.not_counted],
        "advice": advice(s.level, country),
        "privacy": PRIVACY,
    }


def _quote(console: Console, e: dict[str, Any], indent: str = "    ") -> None:
    line = Text(indent)
    line.append(f"line {e['line']}", style="dim")
    line.append(f"  {e['sender']}: ", style="bold")
    excerpt, pos = e["excerpt"], 0
    for word in e["match"].split(" … ") if e["match"] else []:
        at = excerpt.find(word, pos)
        if at < 0:
            continue
        line.append(excerpt[pos:at])
        line.append(word, style="underline")
        pos = at + len(word)
    line.append(excerpt[pos:])
    console.print(line)


def render(console: Console, data: dict[str, Any]) -> None:
    """Print one screening (a :func:`to_dict` result) for a person to read."""
    level = data["level"]
    console.rule(style="dim")
    console.print(Text(data["source"], style="bold"))
    title = Text("level: ")
    title.append(level.upper(), style=LEVEL_STYLE.get(level, ""))
    title.append(f"  (score {data['score']:g}; {data['messages']} messages)", style="dim")
    console.print(title)
    if data["approacher"]:
        console.print(Text.assemble(("Contact made by: ", "bold"), data["approacher"]))
    console.print(Text("Why:", style="bold"))
    for reason in data["reasons"]:
        console.print(Text(f"  • {reason}"))
    if data["indicators"]:
        console.print(Text(f"Warning signs, said by {data['approacher']}:", style="bold"))
        for f in data["indicators"]:
            head = Text(f"  ▸ {f['title']}", style="bold")
            head.append(f"  +{f['score']:g}" + (f" ({f['note']})" if f["note"] else ""), style="dim")
            console.print(head)
            console.print(Text(f"    {f['description']}", style="italic"))
            for e in f["evidence"][:4]:
                _quote(console, e, "      ")
            if f["advisories"]:
                console.print(Text("      Public guidance: " + "; ".join(f["advisories"]), style="dim"))
    if data["mitigations"]:
        console.print(Text("Signs of a transparent arrangement (lower the score):", style="bold"))
        for f in data["mitigations"]:
            console.print(Text(f"  ▸ {f['title']}"))
            for e in f["evidence"][:2]:
                _quote(console, e, "      ")
    if data["not_counted"]:
        console.print(Text("Said by the other side (not counted: only the approacher's words count):",
                           style="bold"))
        for f in data["not_counted"]:
            console.print(Text(f"  ▸ {f['title']}"))
            for e in f["evidence"][:2]:
                _quote(console, e, "      ")
    _render_advice(console, data["advice"])
    console.print()


def _render_advice(console: Console, adv: dict[str, Any]) -> None:
    console.print(Text("What this means:", style="bold"))
    console.print(Text(f"  {adv['summary']}"))
    console.print(Text("What to do:", style="bold"))
    for step in adv["steps"]:
        console.print(Text(f"  • {step}"))
    if adv["report_to"]:
        where = (adv["report_to"][0]["country_name"] if adv["country"]
                 else "by country; use --country for details")
        console.print(Text(f"Where to report ({where}):", style="bold"))
        for s in adv["report_to"]:
            prefix = "" if adv["country"] else f"{s['country']}: "
            console.print(Text(f"  • {prefix}{s['name']} ({s['website']}): {s['how']}"))
        if adv["employer"]:
            console.print(Text(f"  • {adv['employer']}"))
    console.print(Text(adv["note"], style="dim"))
