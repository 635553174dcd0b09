"""Import FollowTheMoney entities (JSON Lines) as extractions, ready for `store_extractions`.

One Extraction per `Document` entity: its text is the evidence sentences of the links it proves (the
"Alleged by X: " prefixes stripped), one a line, with each claim's evidence offsets pointing into it.
Links that name no document, and entities nothing documents, go into one extra Extraction named after
the file. Files written by `frontwatch.export.ftm` come back exactly (types from `keywords`, stance
and attribution per evidence from the description); other FtM files are read by schema, and a link
with no stance of its own comes in as `alleged`, never as a fact.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.types import registry

from ..errors import SourceError
from ..export.ftm import AGENT, EVIDENCE_LINE, GAZETTEER_KEYWORD, PREDICATE_TAG, TYPE_KEYWORD, stance_prefix
from ..model import (
    ENTITY_TYPES,
    PREDICATES,
    STANCES,
    TACTICS,
    Claim,
    Document,
    Entity,
    Evidence,
    Extraction,
    Mention,
)
from ..sources._common import bad_string, short_message, surrogate_reason

# link schema -> (subject property, object property, predicate when nothing more specific is said)
LINKS: dict[str, tuple[str, str, str | None]] = {
    "Membership": ("member", "organization", "affiliated_with"),
    "Directorship": ("director", "organization", "affiliated_with"),
    "Employment": ("employee", "employer", "affiliated_with"),
    "Representation": ("agent", "client", "affiliated_with"),
    "Ownership": ("owner", "asset", "controls"),
    "Payment": ("payer", "beneficiary", "funds"),
    "UnknownLink": ("subject", "object", None),
}
PREFIX = re.compile(r"^(Alleged|Denied)(?: by (.+?))?: ")
TACTIC = re.compile(r"^Tactic: ([a-z ]+)\.$", re.MULTILINE)
MISSION = re.compile(r"\b(embass(?:y|ies)|consulates?|high commission|diplomatic)\b", re.IGNORECASE)
ACTOR = "an actor, body or place"
STATION = re.compile(r"\b(police (?:service )?stations?|overseas station|110 overseas)\b", re.IGNORECASE)


@dataclass
class _Bucket:
    """What one output extraction collects: its document, claims with their sentences, entities."""

    document: Document
    claims: list[tuple[Claim, str]] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)


def _short(value: Any) -> str:
    return repr(value)[:80]


def _load(path: Path, skipped: list[SourceError] | None = None) -> list[dict[str, Any]]:
    """The file's entities, fragments with the same id merged (as `ftm aggregate` does). A bad line
    raises, or with `skipped` is added to it and left out."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read: {short_message(exc)}") from None
    merged: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            _merge(path, n, line, merged)
        except SourceError as exc:
            if skipped is None:
                raise
            skipped.append(exc)
    return list(merged.values())


def _merge(path: Path, n: int, line: str, merged: dict[str, dict[str, Any]]) -> None:
    """Add line `n` to the entities read so far; SourceError (and nothing added) if it is bad."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SourceError(str(path), f"line {n} is not JSON ({exc.msg}); expected FtM JSON lines"
                          ) from exc
    except (ValueError, RecursionError) as exc:  # absurd nesting, huge numbers
        raise SourceError(str(path), f"line {n} is not JSON ({short_message(exc)})") from None
    bad = bad_string(data)
    if bad:  # "\ud800" is valid JSON, but no store, graph or output can encode it
        raise SourceError(str(path), f"line {n}: a string is {bad}")
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"] or \
            not isinstance(data.get("schema"), str):
        raise SourceError(str(path), f"line {n} is not an FtM entity (needs an id and a schema)")
    schema = model.get(data["schema"])
    if schema is None or schema.abstract:
        raise SourceError(str(path), f"line {n}: unknown FtM schema {_short(data['schema'])}")
    props = data.get("properties") or {}
    if not isinstance(props, dict) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in props.values()):
        raise SourceError(str(path), f"line {n}: properties must map names to lists of strings")
    old = merged.get(data["id"], {"id": data["id"], "schema": schema.name, "properties": {}})
    if old["schema"] != schema.name:
        raise SourceError(str(path), f"line {n}: {data['id']} is both {old['schema']} and {schema.name}")
    merged[data["id"]] = old
    for key, values in props.items():
        have = old["properties"].setdefault(key, [])
        have.extend(v for v in values if v not in have)


def _type_of(schema_name: str, props: dict[str, list[str]]) -> str | None:
    """The frontwatch entity type of an FtM entity, or None if it is not an actor, body or place."""
    for kw in props.get("keywords", []):
        if kw.startswith(TYPE_KEYWORD) and kw[len(TYPE_KEYWORD):] in ENTITY_TYPES:
            return kw[len(TYPE_KEYWORD):]
    schema = model.get(schema_name)
    assert schema is not None
    words = " ".join(props.get("classification", []) + props.get("name", []))
    if schema.is_a("Person"):
        return "person"
    if schema.is_a("PublicBody"):
        return "diplomatic_mission" if MISSION.search(words) else "state_body"
    if schema.is_a("LegalEntity"):
        return "overseas_station" if STATION.search(words) else "organization"
    if schema.is_a("Address"):
        # a country is an Address that is nothing but its country
        names = props.get("name", []) + props.get("full", [])
        codes = {c.lower() for c in props.get("country", [])}
        local = any(props.get(p) for p in ("street", "city", "postalCode", "region", "state"))
        is_country = not local and any(registry.country.clean(n) in codes for n in names)
        return "country" if is_country else "place"
    return None


def _entity(data: dict[str, Any]) -> Entity | None:
    props = data["properties"]
    typ = _type_of(data["schema"], props)
    if typ is None:
        return None
    names = props.get("name", []) + props.get("full", [])
    if not names:
        return None
    aliases = [a for a in props.get("name", [])[1:] + props.get("alias", []) + props.get("full", [])
               if a != names[0]]
    gid = next((k[len(GAZETTEER_KEYWORD):] for k in props.get("keywords", [])
                if k.startswith(GAZETTEER_KEYWORD)), None)
    return Entity(name=names[0], type=typ, aliases=list(dict.fromkeys(aliases)), gazetteer_id=gid)


def _document(data: dict[str, Any], path: Path) -> Document:
    props = data["properties"]

    def first(*names: str) -> str | None:
        return next((props[n][0] for n in names if props.get(n)), None)

    # our `date` may be the day we ingested it: only `publishedAt` says when it was published
    ours = any(a.startswith(AGENT) for a in props.get("processingAgent", []))
    date = first("publishedAt") if ours else first("publishedAt", "date")
    return Document(id=first("fileName") or data["id"], text="", title=first("title"), url=first("sourceUrl"),
                    date=date, source=str(path), publisher=first("publisher"))


def _strip(summary: str, stance: str, by: str | None) -> str:
    """The sentence of a summary value, without the stance prefix the exporter put in front."""
    prefix = stance_prefix(stance, by)
    if prefix and summary.startswith(prefix):
        return summary[len(prefix):]
    return PREFIX.sub("", summary, count=1)


class _Reader:
    def __init__(self, path: Path, skipped: list[SourceError] | None = None) -> None:
        self.path = path
        self.skipped = skipped
        self.entities: dict[str, Entity] = {}
        self.buckets: dict[str, _Bucket] = {}  # by Document entity id
        self.by_key: dict[str, str] = {}  # a document's fileName -> its entity id
        self.extra = _Bucket(Document(id=path.stem, text="", title=path.name, source=str(path)))

    def fail(self, reason: str) -> SourceError:
        return SourceError(str(self.path), reason)

    def bad(self, error: SourceError) -> None:
        """A record that cannot be read: the whole file fails, or (with `skipped`) only the record."""
        if self.skipped is None:
            raise error
        self.skipped.append(error)

    def run(self) -> list[Extraction]:
        records = _load(self.path, self.skipped)
        links = []
        for data in records:
            schema = model.get(data["schema"])
            assert schema is not None
            if schema.is_a("Document"):
                doc = _document(data, self.path)
                self.buckets[data["id"]] = _Bucket(doc)
                self.by_key.setdefault(doc.id, data["id"])
            elif data["schema"] in LINKS or data["schema"] == "Documentation":
                links.append(data)
            elif (ent := _entity(data)) is not None:
                self.entities[data["id"]] = ent
            else:
                self.bad(self.fail(f"{data['id']}: {data['schema']} entities are not supported "
                                   "(or it has no name)"))
        for data in links:
            try:
                if data["schema"] == "Documentation":
                    self._documentation(data)
                else:
                    self._link(data)
            except SourceError as exc:
                self.bad(exc)
        placed = {i for b in self.buckets.values() for i in b.entity_ids}
        self.extra.entity_ids += [i for i in self.entities if i not in placed]
        out = [self._extraction(b) for b in self.buckets.values()]
        if self.extra.claims or self.extra.entity_ids:
            out.append(self._extraction(self.extra))
        return out

    def _ref(self, data: dict[str, Any], prop: str, pool: dict[str, Any], what: str) -> str:
        values = data["properties"].get(prop, [])
        if not values:
            raise self.fail(f"{data['id']}: {data['schema']} has no {prop}")
        if values[0] not in pool:
            raise self.fail(f"{data['id']}: {prop} points at {_short(values[0])}, which is not {what} "
                            "in the file")
        return str(values[0])

    def _documentation(self, data: dict[str, Any]) -> None:
        doc = self._ref(data, "document", self.buckets, "a document")
        ent = self._ref(data, "entity", self.entities, ACTOR)
        if ent not in self.buckets[doc].entity_ids:
            self.buckets[doc].entity_ids.append(ent)

    def _link(self, data: dict[str, Any]) -> None:
        props = data["properties"]
        s_prop, o_prop, default = LINKS[data["schema"]]
        subject = self._ref(data, s_prop, self.entities, ACTOR)
        obj = self._ref(data, o_prop, self.entities, ACTOR)
        description = "\n".join(props.get("description", []))
        tag = PREDICATE_TAG.search(description)
        roles = [r for r in props.get("role", []) if r in PREDICATES]
        predicate = tag.group(1) if tag and tag.group(1) in PREDICATES else (roles[0] if roles else default)
        if predicate is None:
            raise self.fail(f"{data['id']}: link role {_short(props.get('role'))} is not a frontwatch "
                            f"predicate ({', '.join(PREDICATES)})")
        tactic_m = TACTIC.search(description)
        tactic = tactic_m.group(1).replace(" ", "_") if tactic_m and tactic_m.group(1) != "none" else None
        if tactic is not None and tactic not in TACTICS:
            raise self.fail(f"{data['id']}: unknown tactic {_short(tactic)} ({', '.join(TACTICS)})")
        base = Claim(self.entities[subject].name, predicate, self.entities[obj].name, tactic=tactic)
        summaries = props.get("summary", [])
        lines = [m for line in description.splitlines() if (m := EVIDENCE_LINE.match(line))]
        adds: list[tuple[_Bucket, str, str, str | None, str | None, str | None]] = []
        for m in lines:  # written by our exporter: one line per evidence
            index = int(m.group("summary")) - 1 if len(m.group("summary")) < 10 else -1
            if not 0 <= index < len(summaries):
                raise self.fail(f"{data['id']}: evidence line points at summary {index + 1}, "
                                f"which the link does not have")
            key = _json_text(self, data, m.group("doc"))
            if key is None or key not in self.by_key:
                raise self.fail(f"{data['id']}: evidence from document {_short(key)}, "
                                "which is not in the file")
            by, date, amount = (_json_text(self, data, m.group(g)) for g in ("by", "date", "amount"))
            bucket = self.buckets[self.by_key[key]]
            adds.append((bucket, summaries[index], m.group("stance"), by, date, amount))
        for bucket, summary, stance, by, date, amount in adds:  # only once every line is known good
            self._add(bucket, base, summary, stance, by, date, amount, (subject, obj))
        if lines:
            return
        # another tool's link: stance from the summary prefix or `status`, else alleged
        stated = props.get("status", []) + [p.split(":")[0] for p in props.get("purpose", [])]
        status = next((s for s in stated if s in STANCES), "alleged")
        docs = props.get("proof", [])
        for doc in docs:
            if doc not in self.buckets:
                raise self.fail(f"{data['id']}: proof points at {_short(doc)}, which is not in the file")
        date = next(iter(props.get("date", []) + props.get("startDate", [])), None)
        amount = " ".join(props.get("currency", [])[:1] + props.get("amount", [])[:1]) or None
        targets = [self.buckets[d] for d in docs] or [self.extra]
        for bucket in targets:
            for summary in summaries or [""]:
                m = PREFIX.match(summary)
                stance = m.group(1).lower() if m else status
                by = m.group(2) if m else None
                self._add(bucket, base, summary, stance, by, date, amount, (subject, obj))

    def _add(self, bucket: _Bucket, base: Claim, summary: str, stance: str, by: str | None,
             date: str | None, amount: str | None, ends: tuple[str, str]) -> None:
        claim = Claim(base.subject, base.predicate, base.object, stance=stance, attributed_to=by,
                      tactic=base.tactic, date=date, amount=amount)
        bucket.claims.append((claim, _strip(summary, stance, by)))
        for ent in ends:
            if ent not in bucket.entity_ids:
                bucket.entity_ids.append(ent)
        if by:  # the attributing source is an entity of the document when the file has it
            src = next((i for i, e in self.entities.items() if by == e.name or by in e.aliases), None)
            if src is not None and src not in bucket.entity_ids:
                bucket.entity_ids.append(src)

    def _extraction(self, bucket: _Bucket) -> Extraction:
        sentences = list(dict.fromkeys(s for _, s in bucket.claims if s))
        entities = [self.entities[i] for i in bucket.entity_ids]
        # never an empty text: the store identifies documents by a hash of their text
        lines = sentences or [bucket.document.title or bucket.document.id] + [e.name for e in entities]
        text = "\n".join(lines)
        starts, pos = {}, 0
        for line in lines:
            starts[line] = pos
            pos += len(line) + 1
        claims = []
        for claim, sentence in bucket.claims:
            if sentence:
                claim.evidence = Evidence(sentence, starts[sentence], starts[sentence] + len(sentence))
            claims.append(claim)
        doc = bucket.document
        doc.text = text
        out = [Entity(e.name, e.type, list(e.aliases), _mentions(text, e), e.gazetteer_id) for e in entities]
        return Extraction(doc, out, claims)


def _mentions(text: str, ent: Entity) -> list[Mention]:
    """Where the entity's name and aliases occur in the rebuilt text."""
    found: dict[int, Mention] = {}
    for form in sorted({ent.name, *ent.aliases}, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if not any(s <= m.start() < f.end for s, f in found.items()):
                found[m.start()] = Mention(m.start(), m.end(), m.group(0))
    return [found[k] for k in sorted(found)]


def _json_text(reader: _Reader, data: dict[str, Any], value: str | None) -> str | None:
    """A JSON string written into an evidence line by our exporter (None when absent)."""
    if not value:
        return None
    try:
        text = json.loads(value)
    except ValueError:
        text = None
    if not isinstance(text, str) or surrogate_reason(text):
        raise reader.fail(f"{data['id']}: evidence line holds {_short(value)}, not a JSON string")
    return text


def read(path: Path, skipped: list[SourceError] | None = None) -> list[Extraction]:
    """Extractions rebuilt from an FtM JSON Lines file; `SourceError` (one line) if it cannot be.

    A bad line or link raises too, unless `skipped` is given: then each is added to it (one
    SourceError per record) and the rest of the file is read."""
    return _Reader(path, skipped).run()
