"""STIX 2.1 export and import: the bundle validates, stance and attribution travel with every claim,
exports are reproducible, and export -> import -> store -> export keeps entities and claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_parsed_json, validate_string

from frontwatch.errors import SourceError
from frontwatch.export.opencti import allowed, opencti_type, relationship_type
from frontwatch.export.stix import to_bundle, write
from frontwatch.graph.network import Edge, Evidence, Network, Node, SourceDocument, load_network
from frontwatch.importers.stix import read
from frontwatch.model import PREDICATES, STANCES
from frontwatch.store.db import Store
from frontwatch.store.ingest import store_extractions

OPTIONS = ValidationOptions(version="2.1", strict=False)


def _errors(results: Any) -> list[str]:
    """Every validation error (printed so a failure shows them)."""
    results = results if isinstance(results, list) else [results]
    errors = [f"{r.object_id}: {e}" for r in results for e in r.errors]
    for line in errors:
        print(line)
    return errors


def _by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def _sets(bundle: dict[str, Any]) -> tuple[set[tuple[str, str]], set[tuple[str, str, str, str]]]:
    """(name, frontwatch type) of entities and (subject, predicate, object, stance) of claims."""
    objects = {o["id"]: o for o in bundle["objects"]}
    entities = {(o["name"], o["x_frontwatch_type"]) for o in objects.values() if "x_frontwatch_type" in o}
    claims = set()
    for rel in _by_type(bundle, "relationship"):
        s, o = objects[rel["source_ref"]]["name"], objects[rel["target_ref"]]["name"]
        if rel["x_frontwatch_predicate"] == "meets":  # symmetric: stored in id order, which a store changes
            s, o = sorted((s, o))
        claims.add((s, rel["x_frontwatch_predicate"], o, rel["x_frontwatch_stance"]))
    return entities, claims


@pytest.fixture(scope="module")
def bundle(example_network: Network) -> dict[str, Any]:
    return to_bundle(example_network)


def test_example_bundle_validates(bundle: dict[str, Any]) -> None:
    assert not _errors(validate_parsed_json(bundle, OPTIONS))
    assert not _errors(validate_string(json.dumps(bundle), OPTIONS))


def test_every_relationship_carries_stance_and_attribution(bundle: dict[str, Any]) -> None:
    rels = _by_type(bundle, "relationship")
    assert rels
    for rel in rels:
        stance = rel["x_frontwatch_stance"]
        assert stance in STANCES
        assert rel["description"].startswith(f"{stance.capitalize()} by ")
        assert rel["x_frontwatch_sources"] >= 1 and rel["external_references"]
        assert rel["x_frontwatch_evidence"]
        # the claim's confidence (the highest of its sentences), 0-100; stance travels beside it
        extractor = max(e["confidence"] for e in rel["x_frontwatch_evidence"])
        assert 0 <= extractor <= 1 and rel["confidence"] == round(100 * extractor)


def test_allegations_have_notes_and_denials_opinions(bundle: dict[str, Any]) -> None:
    notes = {r for n in _by_type(bundle, "note") if n["abstract"] == "Allegation" for r in n["object_refs"]}
    opinions = {r for o in _by_type(bundle, "opinion") if o["opinion"] == "strongly-disagree"
                for r in o["object_refs"]}
    for rel in _by_type(bundle, "relationship"):
        assert (rel["id"] in notes) == (rel["x_frontwatch_stance"] == "alleged")
        # an opinion only where a sentence really denies the claim
        denied = any(e["stance"] == "denied" for e in rel["x_frontwatch_evidence"])
        assert (rel["id"] in opinions) == denied
    for opinion in _by_type(bundle, "opinion"):
        assert opinion["explanation"].startswith("Denied by ")


def test_every_relationship_is_one_opencti_accepts(bundle: dict[str, Any]) -> None:
    objects = {o["id"]: o for o in bundle["objects"]}
    rels = _by_type(bundle, "relationship")
    for rel in rels:
        source, target = objects[rel["source_ref"]], objects[rel["target_ref"]]
        triple = (opencti_type(source), rel["relationship_type"], opencti_type(target))
        assert allowed(*triple), triple
        assert rel["x_frontwatch_predicate"] in PREDICATES
        if rel["relationship_type"] == "targets":
            assert source["type"] != "location"  # never a location as the source of targets
    assert {r["relationship_type"] for r in rels} <= {"targets", "attributed-to", "located-at", "part-of",
                                                      "originates-from", "related-to"}
    assert {"targets", "related-to"} <= {r["relationship_type"] for r in rels}


@pytest.mark.parametrize(("predicate", "source", "target", "stix"), [
    ("interferes_in", "Country", "Country", "related-to"),  # China interferes in Canada
    ("interferes_in", "Threat-Actor-Group", "Country", "targets"),
    ("targets", "Intrusion-Set", "Individual", "targets"),
    ("targets", "Organization", "Individual", "related-to"),
    ("affiliated_with", "Individual", "Organization", "part-of"),
    ("affiliated_with", "Threat-Actor-Group", "Organization", "attributed-to"),
    ("affiliated_with", "Intrusion-Set", "Threat-Actor-Group", "attributed-to"),
    ("affiliated_with", "Intrusion-Set", "Country", "originates-from"),
    ("affiliated_with", "Threat-Actor-Group", "Country", "related-to"),
    ("located_in", "Organization", "City", "located-at"),
    ("located_in", "City", "Country", "located-at"),
    ("funds", "Threat-Actor-Group", "Organization", "related-to"),
    ("controls", "Organization", "Organization", "related-to"),
])
def test_relationship_types_follow_openctis_table(predicate: str, source: str, target: str,
                                                  stix: str) -> None:
    assert relationship_type(predicate, source, target) == stix


def test_reports_reference_their_relationships(bundle: dict[str, Any], example_network: Network) -> None:
    ids = {o["id"] for o in bundle["objects"]}
    reports = _by_type(bundle, "report")
    assert len(reports) == len(example_network.documents)
    referenced = set()
    for report in reports:
        assert set(report["object_refs"]) <= ids
        assert report["report_types"] == ["threat-report"] and report["published"].endswith("Z")
        for ref in report["object_refs"]:
            referenced.add(ref)
        key = report["x_frontwatch_document"]
        for rel in _by_type(bundle, "relationship"):
            if any(e["document"] == key for e in rel["x_frontwatch_evidence"]):
                assert {rel["id"], rel["source_ref"], rel["target_ref"]} <= set(report["object_refs"])
    assert {r["id"] for r in _by_type(bundle, "relationship")} <= referenced


def test_export_is_deterministic(example_network: Network, tmp_path: Path) -> None:
    assert to_bundle(example_network) == to_bundle(example_network)
    write(example_network, tmp_path / "a.json")
    write(example_network, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_round_trip_through_an_empty_store(bundle: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    extractions = read(path)
    assert len(extractions) == len(_by_type(bundle, "report"))
    for ex in extractions:
        for claim in ex.claims:
            assert claim.evidence is not None
            assert ex.document.text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        report = store_extractions(store, extractions)
        assert not report.failed and len(report.new) == len(extractions)
        with store.read() as session:
            again = to_bundle(load_network(session))
        assert store_extractions(store, read(path)).unchanged  # same texts: nothing new
    finally:
        store.close()
    assert _sets(again) == _sets(bundle)


# --- the mapping, on a small network built by hand -----------------------------------------------

def _network() -> Network:
    nodes = {
        1: Node(1, "China", "country", ["Beijing"], "CN", "CN"),
        2: Node(2, "Ministry of State Security", "state_body", ["MSS"], "cn-mss", "CN"),
        3: Node(3, "Doppelganger", "organization", [], "op-doppelganger", "RU"),
        4: Node(4, "Jane Roe", "person"),
        5: Node(5, "Canadian Security Intelligence Service", "state_body", ["CSIS"], "ca-csis", "CA"),
        6: Node(6, "Springfield", "place"),
        7: Node(7, "Acme Friendship Association", "organization"),
    }
    docs = {"a": SourceDocument("a", "Report A", "https://example.org/a", "Example News", "2024-03-01",
                                "2024-03-01"),
            "b": SourceDocument("b", None, None, None, None, "2024-04-02")}

    def edge(i: int, s: int, p: str, o: int, stance: str, tactic: str | None, evs: list[Evidence]
             ) -> Edge:
        alleged = sorted({e.attributed_to for e in evs if e.stance == "alleged" and e.attributed_to})
        denied = sorted({e.attributed_to or "?" for e in evs if e.stance == "denied"})
        return Edge(i, s, o, p, tactic, stance, len({e.document for e in evs}), 1, "2024-03-01", "2024-04-02",
                    "pending", alleged, denied, evs)

    return Network(nodes, [
        edge(1, 2, "recruits", 4, "alleged", "espionage",
             [Evidence("a", "CSIS alleges the MSS recruited Jane Roe.", "alleged", "CSIS", None, None)]),
        edge(2, 7, "targets", 4, "denied", "intimidation",
             [Evidence("b", "The association denied harassing Jane Roe.", "denied",
                       "Acme Friendship Association", None, None)]),
        edge(3, 3, "interferes_in", 1, "asserted", "disinformation",
             [Evidence("a", "Doppelganger spread fakes about China.", "asserted", None, None, None),
              Evidence("b", "Doppelganger spread fakes about China.", "asserted", None, None, None)]),
        edge(4, 5, "investigates", 2, "asserted", "countermeasure",
             [Evidence("b", "CSIS investigates the MSS.", "asserted", None, None, None)]),
        edge(5, 7, "located_in", 6, "asserted", None,
             [Evidence("b", "The association is based in Springfield.", "asserted", None, None, None)]),
    ], docs)


def test_mapping_of_entities_and_claims() -> None:
    bundle = to_bundle(_network())
    assert not _errors(validate_parsed_json(bundle, OPTIONS))
    sdo = {o["name"]: o for o in bundle["objects"] if "x_frontwatch_type" in o}
    assert sdo["China"]["type"] == "location" and sdo["China"]["country"] == "CN"
    assert sdo["Springfield"]["type"] == "location" and "country" not in sdo["Springfield"]
    assert sdo["Ministry of State Security"]["type"] == "threat-actor"  # alleged recruiter
    assert sdo["Ministry of State Security"]["x_frontwatch_stance"] == "alleged"
    assert sdo["Doppelganger"]["type"] == "intrusion-set"
    assert sdo["Jane Roe"]["type"] == "identity" and sdo["Jane Roe"]["identity_class"] == "individual"
    csis = sdo["Canadian Security Intelligence Service"]  # countermeasures make no threat actor
    assert csis["type"] == "identity" and csis["sectors"] == ["government-national"]
    assert sdo["Acme Friendship Association"]["type"] == "identity"  # a denied claim makes none either
    rels = {r["x_frontwatch_predicate"]: r for r in _by_type(bundle, "relationship")}
    # STIX types OpenCTI accepts between these ends; our predicate rides along
    assert {p: r["relationship_type"] for p, r in rels.items()} == {
        "recruits": "targets",  # threat-actor -> Individual
        "targets": "related-to",  # an identity (its claim is denied) cannot `target` in OpenCTI
        "interferes_in": "targets",  # intrusion-set -> Country
        "investigates": "related-to", "located_in": "located-at"}
    assert rels["recruits"]["description"] == "Alleged by CSIS: CSIS alleges the MSS recruited Jane Roe."
    assert rels["recruits"]["confidence"] == 100  # the rules' claim: 1.0
    assert rels["recruits"]["x_frontwatch_attributed_to"] == ["CSIS"]
    assert rels["targets"]["description"].startswith("Denied by Acme Friendship Association: ")
    assert rels["targets"]["x_frontwatch_denied_by"] == ["Acme Friendship Association"]
    assert rels["interferes_in"]["x_frontwatch_sources"] == 2
    assert rels["interferes_in"]["description"].startswith("Asserted by Example News: ")
    assert {r["source_name"] for r in rels["interferes_in"]["external_references"]} == {"Example News", "b"}
    assert sdo["China"]["x_opencti_location_type"] == "Country"
    assert sdo["Springfield"]["x_opencti_location_type"] == "City"
    (report_a,) = [r for r in _by_type(bundle, "report") if r["name"] == "Report A"]
    assert report_a["published"] == "2024-03-01T00:00:00.000Z"
    assert report_a["external_references"][0]["url"] == "https://example.org/a"
    (opinion,) = _by_type(bundle, "opinion")
    assert opinion["object_refs"] == [rels["targets"]["id"]] and "Acme" in opinion["explanation"]
    (note,) = _by_type(bundle, "note")
    assert note["object_refs"] == [rels["recruits"]["id"]] and "CSIS" in note["content"]


def test_import_keeps_stance_attribution_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    write(_network(), path)
    docs = {ex.document.id: ex for ex in read(path)}
    assert set(docs) == {"a", "b"}
    assert docs["a"].document.date == "2024-03-01" and docs["a"].document.publisher == "Example News"
    assert docs["b"].document.date is None  # its export date was the day of ingest
    claims = {c.predicate: c for ex in docs.values() for c in ex.claims}
    assert (claims["recruits"].stance, claims["recruits"].attributed_to) == ("alleged", "CSIS")
    assert (claims["targets"].stance, claims["targets"].attributed_to) == (
        "denied", "Acme Friendship Association")
    assert claims["located_in"].object == "Springfield"
    types = {e.name: e.type for ex in docs.values() for e in ex.entities}
    assert types["China"] == "country" and types["Doppelganger"] == "organization"


# --- a third party's bundle ------------------------------------------------------------------------

def test_third_party_bundle(tmp_path: Path) -> None:
    def obj(kind: str, n: int, **props: Any) -> dict[str, Any]:
        return {"type": kind, "spec_version": "2.1", "id": f"{kind}--00000000-0000-4000-8000-{n:012d}",
                "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", **props}

    author = obj("identity", 1, name="Example Threat Intel", identity_class="organization")
    actor = obj("intrusion-set", 2, name="Storm-0000", aliases=["Fake Bear"], created_by_ref=author["id"])
    victim = obj("identity", 3, name="Jane Roe", identity_class="individual")
    malware = obj("malware", 4, name="BadRAT", is_family=True)
    place = obj("location", 5, name="Latveria City", city="Latveria City", country="LV")
    targets = obj("relationship", 6, relationship_type="targets", source_ref=actor["id"],
                  target_ref=victim["id"], created_by_ref=author["id"],
                  description="Storm-0000 targeted Jane Roe with phishing.")
    uses = obj("relationship", 7, relationship_type="uses", source_ref=actor["id"], target_ref=malware["id"])
    loose = obj("relationship", 8, relationship_type="located-at", source_ref=victim["id"],
                target_ref=place["id"])
    report = obj("report", 9, name="Storm-0000 goes phishing", published="2024-02-03T00:00:00Z",
                 object_refs=[actor["id"], malware["id"], targets["id"], uses["id"]])
    path = tmp_path / "vendor feed.json"
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000",
                                "objects": [author, actor, victim, malware, place, targets, uses, loose,
                                            report]}))
    first, extra = read(path)
    assert first.document.id == "storm-0000-goes-phishing" and first.document.date == "2024-02-03"
    (claim,) = first.claims  # "uses" malware is not mapped: skipped quietly
    assert (claim.subject, claim.predicate, claim.object) == ("Storm-0000", "targets", "Jane Roe")
    assert (claim.stance, claim.attributed_to) == ("alleged", "Example Threat Intel")  # never a fact
    assert first.document.text == "Storm-0000 targeted Jane Roe with phishing."
    assert {(e.name, e.type) for e in first.entities} == {("Storm-0000", "organization"),
                                                          ("Jane Roe", "person")}
    assert extra.document.id == "vendor-feed" and extra.document.title == "vendor feed.json"
    assert [(c.subject, c.predicate, c.object) for c in extra.claims] == [
        ("Jane Roe", "located_in", "Latveria City")]
    assert {(e.name, e.type) for e in extra.entities} == {("Jane Roe", "person"), ("Latveria City", "place")}


# --- bad input: one SourceError, one line, naming the file ----------------------------------------

@pytest.mark.parametrize(("content", "reason"), [
    ("{not json", "not JSON"),
    (b"\xff\xfe\x00garbage", "not JSON"),
    ('{"type": "report", "id": "report--1"}', "not a STIX bundle"),
    ("[1, 2]", "not a STIX bundle"),
    ('{"type": "bundle", "id": "bundle--1", "objects": {}}', "not a list"),
    ('{"type": "bundle", "id": "bundle--1", "objects": [{"name": "x"}]}', "no type or id"),
    ('{"type": "bundle", "id": "bundle--1", "objects": [{"type": "relationship", "id": "relationship--1",'
     ' "relationship_type": "targets", "source_ref": "identity--1", "target_ref": "identity--2"}]}',
     "not in the bundle"),
    ('{"type": "bundle", "id": "bundle--1", "objects": [{"type": "identity", "id": "identity--1",'
     ' "name": "A"}, {"type": "relationship", "id": "relationship--1", "relationship_type": "targets",'
     ' "source_ref": "identity--1", "target_ref": "identity--1", "x_frontwatch_stance": "maybe"}]}',
     "unknown stance"),
])
def test_bad_input(tmp_path: Path, content: str | bytes, reason: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read(path)
    assert reason in err.value.reason and str(path) in str(err.value) and "\n" not in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read(tmp_path / "nowhere.json")
