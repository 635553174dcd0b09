"""Export the network as FollowTheMoney entities (JSON Lines, as `ftm` tools and Aleph read them).

Mapping (node type -> schema):
  person -> Person; state_body -> PublicBody (classification "state body", jurisdiction = its state);
  diplomatic_mission -> PublicBody (classification "diplomatic mission", mainCountry = sending state);
  overseas_station -> Organization (classification "overseas police station");
  organization -> Organization; place -> Address (full = name, country where known);
  country -> Address (full = name, country = its ISO code). A country is not a legal person in FtM, so
  it is an Address that others point at; an entity that an *asserted* located_in/affiliated_with claim
  ties to a country (or to a place with a known country) also gets that code in `country`. Alleged or
  denied claims never become entity properties: properties carry no stance.
Every node keeps its frontwatch type (and gazetteer id) in `keywords` so the import is exact.

Claims (one link per canonical claim):
  affiliated_with(legal entity, legal entity) -> Representation (agent, client) when an evidence
  sentence calls the subject an agent, proxy or representative ("acting on behalf of");
  affiliated_with(legal entity, body) -> Directorship when a person is named next to a head role word
  (director, chief, head, commissioner, chairman, leader...), Employment (employee, employer) when a
  person works for the body (works for, employed by, officer, official, staff...), else Membership;
  controls(person, body) -> Directorship; funds(legal entity, legal entity) -> Payment; everything
  else -> UnknownLink (role = predicate). Countries and places are Addresses, so links touching them
  are UnknownLinks.
Every link: summary = each evidence sentence ("Alleged by X: " / "Denied by Y: " unless asserted),
status (Payment has none: purpose) = the claim's stance, description = stance, attribution, tactic
and corroboration in words, plus one "Evidence n" line per evidence (which the importer reads back),
proof = the Document entities, sourceUrl, publisher, recordId = claim id; date (startDate, endDate)
= the event dates its evidence gives, else the published dates of its documents, never the day a
document was ingested (a Document's date is its published date, or none).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.types import registry

from ..graph.network import Edge, Network, Node, SourceDocument

SCHEMA_OF = {"person": "Person", "state_body": "PublicBody", "diplomatic_mission": "PublicBody",
             "overseas_station": "Organization", "organization": "Organization", "place": "Address",
             "country": "Address"}
CLASSIFICATION = {"state_body": "state body", "diplomatic_mission": "diplomatic mission",
                  "overseas_station": "overseas police station"}
AGENT = "frontwatch"
TYPE_KEYWORD = "frontwatch-type:"
GAZETTEER_KEYWORD = "frontwatch-gazetteer:"
VERB = {"controls": "controls", "affiliated_with": "is affiliated with", "funds": "funds",
        "supports": "supports", "meets": "meets", "recruits": "recruits", "targets": "targets",
        "interferes_in": "interferes in", "located_in": "is located in", "investigates": "investigates"}
STANCE_WORDS = {"asserted": "Asserted (stated as fact by at least one source)",
                "alleged": "Alleged (not established)",
                "denied": "Denied (a source specifically denies it)",
                "contested": "Contested (some sources deny it, others assert or allege it)"}
DATE_SOURCES = {"event": "event dates from the evidence", "published": "published dates of the sources"}
_HEAD = (r"(?<!deputy )(?<!vice )(?<!assistant )"
         r"\b(director|chief|head|commissioner|chair(?:man|woman|person)?|leader|president)")
# the role word must be the person's own title: just before the name ("RCMP Commissioner Mike Duheme",
# "chief executive Nikolai Tupikin") or in an apposition just after it ("Ken McCallum, director general")
ROLE_BEFORE = re.compile(_HEAD + r"(?:\s+(?:executive|general|officer))?\s+$", re.IGNORECASE)
ROLE_AFTER = re.compile(r"^,\s+(?:(?:the|a|an|its|former|then)\s+)*" + _HEAD + r"\b", re.IGNORECASE)
# the subject acts for the object (Representation) or is employed by it (Employment)
AGENT_WORDS = re.compile(r"\b(agents?|prox(?:y|ies)|representatives?|intermediar(?:y|ies)|on behalf of)\b",
                         re.IGNORECASE)
EMPLOYMENT_WORDS = re.compile(r"\b(works? for|worked for|working for|employ(?:ee|ees|ed|s)?|staffers?|"
                              r"officers?|operatives?|diplomats?)\b", re.IGNORECASE)
JSON_STR = r'"(?:[^"\\]|\\.)*"'
# one line per evidence in a link's description: the importer parses exactly this
EVIDENCE_LINE = re.compile(
    rf'^Evidence (?P<n>\d+) \(summary (?P<summary>\d+)\) from document (?P<doc>{JSON_STR}): '
    rf'(?P<stance>asserted|alleged|denied)(?: by (?P<by>{JSON_STR}))?'
    rf'(?:; date (?P<date>{JSON_STR}))?(?:; amount (?P<amount>{JSON_STR}))?\.$')
PREDICATE_TAG = re.compile(r"\[predicate: (\w+)\]")


def entity_id(schema: str, key: str) -> str:
    """A stable id: the same schema and key give the same id in every export."""
    return "fw-" + hashlib.sha1(f"{schema}\x1f{key}".encode()).hexdigest()


def stance_prefix(stance: str, attributed_to: str | None) -> str:
    """How a sentence is introduced in `summary`: an allegation never reads as a bare fact."""
    if stance == "asserted":
        return ""
    verb = "Alleged" if stance == "alleged" else "Denied"
    return f"{verb} by {attributed_to}: " if attributed_to else f"{verb}: "


def _entity(eid: str, schema: str, props: dict[str, list[str]]) -> dict[str, Any]:
    # empty values are dropped: FtM types reject "", and an absent property says "unknown"
    cleaned = {k: [x for x in v if x] for k, v in sorted(props.items())}
    return {"id": eid, "schema": schema, "properties": {k: v for k, v in cleaned.items() if v}}


def _unique(values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class _Exporter:
    def __init__(self, network: Network) -> None:
        self.net = network
        self.node_ids: dict[int, str] = {}
        self.doc_ids: dict[str, str] = {}
        seen: set[str] = set()
        for node in sorted(network.nodes.values(), key=lambda n: n.id):
            key = f"{node.type}:{node.gazetteer_id or node.name.casefold()}"
            if key in seen:  # two canonical entities with one name: keep them apart
                key = f"{key}#{node.id}"
            seen.add(key)
            self.node_ids[node.id] = entity_id(SCHEMA_OF[node.type], key)
        for doc_key in sorted(network.documents):
            self.doc_ids[doc_key] = entity_id("Document", doc_key)

    def run(self) -> list[dict[str, Any]]:
        countries = self._countries()
        out = [self._node(n, countries.get(n.id, [])) for n in sorted(self.net.nodes.values(),
                                                                       key=lambda n: n.id)]
        out += [self._document(self.net.documents[k]) for k in sorted(self.net.documents)]
        out += [self._link(e) for e in sorted(self.net.edges, key=lambda e: e.id)]
        out += self._documentation()
        return out

    def _code(self, node: Node) -> str | None:
        """The ISO code of a country node or of the country a place is in."""
        code = node.state or (node.gazetteer_id if node.type == "country" else None)
        return code.lower() if code and registry.country.validate(code) else None

    def _countries(self) -> dict[int, list[str]]:
        """Country codes that asserted located_in/affiliated_with claims give their subjects."""
        found: dict[int, set[str]] = {}
        for e in self.net.edges:
            target = self.net.nodes.get(e.target)
            if e.stance != "asserted" or e.predicate not in ("located_in", "affiliated_with") or not target:
                continue
            if target.type in ("country", "place") and (code := self._code(target)):
                found.setdefault(e.source, set()).add(code)
        return {k: sorted(v) for k, v in found.items()}  # sorted: exports must not depend on claim order

    def _node(self, node: Node, countries: list[str]) -> dict[str, Any]:
        schema = SCHEMA_OF[node.type]
        keywords = [TYPE_KEYWORD + node.type]
        if node.gazetteer_id:
            keywords.append(GAZETTEER_KEYWORD + node.gazetteer_id)
        props: dict[str, list[str]] = {"name": [node.name], "alias": _unique(node.aliases),
                                       "keywords": keywords}
        code = self._code(node)
        if schema == "Address":
            props["full"] = [node.name]
            props["country"] = _unique([code, *countries])
        else:
            props["country"] = countries
            if node.type in CLASSIFICATION:
                props["classification"] = [CLASSIFICATION[node.type]]
            if node.type == "state_body" and code:
                props["jurisdiction"] = [code]
            elif node.type == "diplomatic_mission" and code:
                props["mainCountry"] = [code]  # the sending state; the host comes from located_in
        return _entity(self.node_ids[node.id], schema, props)

    def _document(self, doc: SourceDocument) -> dict[str, Any]:
        props = {"fileName": [doc.key], "title": [doc.title or doc.key], "sourceUrl": [doc.url or ""],
                 "publisher": [doc.publisher or ""], "date": [doc.published or ""],
                 "publishedAt": [doc.published or ""],
                 "processingAgent": [AGENT]}  # `date` is the published day, never the ingest day
        return _entity(self.doc_ids[doc.key], "Document", props)

    def _schema_for(self, e: Edge) -> tuple[str, str, str, str | None]:
        """(schema, subject property, object property, role) of a claim's link."""
        s, o = self.net.nodes[e.source], self.net.nodes[e.target]
        s_schema, o_schema = model.get(SCHEMA_OF[s.type]), model.get(SCHEMA_OF[o.type])
        assert s_schema is not None and o_schema is not None
        legal = s_schema.is_a("LegalEntity")
        body = o_schema.is_a("Organization")
        if e.predicate in ("affiliated_with", "controls") and legal and body:
            role = self._head_role(e, s) if s.type == "person" else None
            if role or (e.predicate == "controls" and s.type == "person"):
                return "Directorship", "director", "organization", role or e.predicate
            if e.predicate == "affiliated_with" and s.type == "person" and (
                    word := self._word(e, EMPLOYMENT_WORDS)):
                return "Employment", "employee", "employer", word
            if e.predicate == "affiliated_with" and not self._word(e, AGENT_WORDS):
                return "Membership", "member", "organization", e.predicate
        if e.predicate == "affiliated_with" and legal and o_schema.is_a("LegalEntity") and (
                self._word(e, AGENT_WORDS)):
            return "Representation", "agent", "client", "agent"
        if e.predicate == "funds" and legal and o_schema.is_a("LegalEntity"):
            return "Payment", "payer", "beneficiary", None  # Payment has no role
        return "UnknownLink", "subject", "object", e.predicate

    @staticmethod
    def _head_role(e: Edge, person: Node) -> str | None:
        """A head role word next to the person's name in an evidence sentence ("RCMP commissioner X")."""
        forms = sorted({person.name, *person.aliases}, key=len, reverse=True)
        for ev in e.evidence:
            for form in forms:
                for m in re.finditer(rf"\b{re.escape(form)}\b", ev.sentence):
                    role = (ROLE_BEFORE.search(ev.sentence[:m.start()])
                            or ROLE_AFTER.search(ev.sentence[m.end():]))
                    if role:
                        return role.group(1).lower()
        return None

    @staticmethod
    def _word(e: Edge, words: re.Pattern[str]) -> str | None:
        """The first of these words in the claim's evidence (lower case), if any."""
        return next((m.group(1).lower() for ev in e.evidence if (m := words.search(ev.sentence))), None)

    @staticmethod
    def _dates(e: Edge, docs: list[SourceDocument]) -> list[str]:
        """The event dates the evidence gives, else the days its documents were published: never the
        day a document was ingested."""
        events = {d for ev in e.evidence if ev.date and (d := registry.date.clean(ev.date))}
        published = {d for doc in docs if doc.published and (d := registry.date.clean(doc.published[:10]))}
        return sorted(events or published)

    def _link(self, e: Edge) -> dict[str, Any]:
        schema, s_prop, o_prop, role = self._schema_for(e)
        docs = [self.net.documents[ev.document] for ev in e.evidence if ev.document in self.net.documents]
        dates = self._dates(e, docs)
        summaries = _unique(stance_prefix(ev.stance, ev.attributed_to) + ev.sentence for ev in e.evidence)
        props: dict[str, list[str]] = {
            s_prop: [self.node_ids[e.source]], o_prop: [self.node_ids[e.target]],
            "summary": summaries, "description": [self._description(e, summaries)],
            "status": [e.stance], "recordId": [str(e.id)],
            "proof": _unique(self.doc_ids[d.key] for d in docs),
            "sourceUrl": sorted({d.url for d in docs if d.url}),
            "publisher": sorted({d.publisher for d in docs if d.publisher}),
            "date": dates, "startDate": dates[:1],
            "endDate": dates[-1:] if len(dates) > 1 else [], "role": [role or ""]}
        if schema == "Payment":
            # Payment is no Interest: no status or role; its caption shows `purpose`, so the stance goes there
            del props["status"]
            props["purpose"] = [f"{e.stance}: {(e.tactic or 'funding').replace('_', ' ')}"]
            for ev in e.evidence:
                if ev.amount and (parsed := parse_amount(ev.amount)):
                    props["amount"], props["currency"] = [parsed[0]], [parsed[1] or ""]
                    break
        return _entity(entity_id(schema, f"claim:{self.node_ids[e.source]}|{e.predicate}|"
                                         f"{self.node_ids[e.target]}"), schema, props)

    def _description(self, e: Edge, summaries: list[str]) -> str:
        s, o = self.net.nodes[e.source], self.net.nodes[e.target]
        lines = [f"{STANCE_WORDS.get(e.stance, e.stance)}: {s.name} {VERB.get(e.predicate, e.predicate)} "
                 f"{o.name} [predicate: {e.predicate}] [stance: {e.stance}]."]
        if e.alleged_by:
            lines.append(f"Alleged by: {'; '.join(e.alleged_by)}.")
        if e.denied_by:
            lines.append(f"Denied by: {'; '.join(e.denied_by)}.")
        if e.stance_counts:
            counts = ", ".join(f"{k} {n}" for k, n in e.stance_counts.items())
            lines.append(f"Sources by stance: {counts}.")
        lines.append(f"Tactic: {e.tactic.replace('_', ' ') if e.tactic else 'none'}.")
        plural = "s" if e.documents != 1 else ""
        lines.append(f"Sources: {e.documents} document{plural} from {e.publishers} publisher"
                     f"{'s' if e.publishers != 1 else ''}; dates "
                     f"({DATE_SOURCES.get(e.date_source or '', 'unknown')}) {e.first_seen or 'unknown'} to "
                     f"{e.last_seen or 'unknown'}. Analyst review: {e.review_status}.")
        for n, ev in enumerate(e.evidence, start=1):
            index = summaries.index(stance_prefix(ev.stance, ev.attributed_to) + ev.sentence) + 1
            line = f"Evidence {n} (summary {index}) from document {json.dumps(ev.document)}: {ev.stance}"
            if ev.attributed_to:
                line += f" by {json.dumps(ev.attributed_to)}"
            if ev.date:
                line += f"; date {json.dumps(ev.date)}"
            if ev.amount:
                line += f"; amount {json.dumps(ev.amount)}"
            lines.append(line + ".")
        return "\n".join(lines)

    def _documentation(self) -> list[dict[str, Any]]:
        """One Documentation per (document, entity it mentions): the ends of the claims it evidences."""
        pairs: set[tuple[str, int]] = set()
        for e in self.net.edges:
            for ev in e.evidence:
                if ev.document in self.doc_ids:
                    pairs.update({(ev.document, e.source), (ev.document, e.target)})
        out = []
        for doc_key, node_id in sorted(pairs):
            props = {"document": [self.doc_ids[doc_key]], "entity": [self.node_ids[node_id]],
                     "role": ["mentions"]}
            out.append(_entity(entity_id("Documentation", f"{doc_key}|{self.node_ids[node_id]}"),
                               "Documentation", props))
        return out


CURRENCY = {"c$": "CAD", "ca$": "CAD", "us$": "USD", "a$": "AUD", "€": "EUR", "£": "GBP", "euro": "EUR",
            "euros": "EUR", "pounds": "GBP", "rubles": "RUB", "roubles": "RUB", "yuan": "CNY"}
SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}
AMOUNT = re.compile(r"(?P<pre>[A-Za-z]{0,2}\$|€|£)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
                    r"(?P<scale>thousand|million|billion|mn|bn|m|k)?\b\s*(?P<post>[A-Za-z]+)?", re.I)


def parse_amount(text: str) -> tuple[str, str | None] | None:
    """("250000", "CAD") from "C$250,000"; the currency only where the text makes it unambiguous."""
    m = AMOUNT.search(text)
    if m is None:
        return None
    value = float(m.group("num").replace(",", "")) * SCALE.get((m.group("scale") or "").lower(), 1)
    currency = CURRENCY.get((m.group("pre") or "").lower()) or CURRENCY.get((m.group("post") or "").lower())
    return (f"{value:.2f}".rstrip("0").rstrip("."), currency)


def to_entities(network: Network) -> list[dict[str, Any]]:
    """The network as FtM entity dicts: nodes, source documents, claim links, documentation."""
    return _Exporter(network).run()


def write(network: Network, out: Path) -> int:
    """Write the entities as JSON Lines (one entity a line); returns how many were written."""
    entities = to_entities(network)
    with out.open("w", encoding="utf-8") as fh:
        for ent in entities:
            fh.write(json.dumps(ent, ensure_ascii=False, sort_keys=True) + "\n")
    return len(entities)


def validate(entities: list[dict[str, Any]]) -> list[str]:
    """Problems with these entity dicts under the FtM model: unknown schemata or properties, values
    their type rejects, missing required properties, references to ids not exported or of the wrong
    schema. An empty list means Aleph and `ftm` tools will take them as they are."""
    problems: list[str] = []
    schemata: dict[str, str] = {}
    for n, data in enumerate(entities, start=1):
        eid, name = data.get("id"), data.get("schema")
        schema = model.get(name) if isinstance(name, str) else None
        if not isinstance(eid, str) or not eid:
            problems.append(f"entity {n}: no id")
            continue
        if schema is None or schema.abstract:
            problems.append(f"{eid}: unknown or abstract schema {name!r}")
            continue
        if eid in schemata:
            problems.append(f"{eid}: duplicate id")
        schemata[eid] = schema.name
    for data in entities:
        eid = data.get("id")
        if not isinstance(eid, str) or eid not in schemata:
            continue
        schema = model.get(schemata[eid])
        assert schema is not None
        raw = data.get("properties") or {}
        if not isinstance(raw, dict):
            problems.append(f"{eid}: properties is not an object")
            continue
        proxy = model.get_proxy(data, cleaned=False)
        for key, values in raw.items():
            prop = schema.properties.get(key)
            if prop is None:
                problems.append(f"{eid}: {schema.name} has no property {key!r}")
                continue
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems.append(f"{eid}: {key} must be a list of strings")
                continue
            for value in values:
                if not prop.type.validate(value) or len(value) > prop.max_length:
                    problems.append(f"{eid}: {key} value {value[:60]!r} is not a valid {prop.type.name}")
                elif prop.type.name == "entity":
                    target = schemata.get(value)
                    if target is None:
                        problems.append(f"{eid}: {key} points at {value}, which is not exported")
                    elif prop.range is not None and not model.schemata[target].is_a(prop.range):
                        problems.append(f"{eid}: {key} points at a {target}, not a {prop.range.name}")
        for required in schema.required:
            if not proxy.get(required):
                problems.append(f"{eid}: {schema.name} requires {required}")
    return problems
