"""Claim confidence in the exchange formats: STIX `confidence` is the claim's confidence (0-100), the
evidence carries its own, an export imported again keeps it, a third
party's STIX confidence becomes the claim's (confidence / 100), and GEXF/GraphML/CSV edges carry it.
Networks and extractions are built by hand: no spaCy model is needed."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_parsed_json

from frontwatch.export import csv as csv_export
from frontwatch.export.gexf import edge_attributes
from frontwatch.export.stix import confidence, to_bundle
from frontwatch.graph.network import Edge, Evidence, Network, Node, SourceDocument, load_network
from frontwatch.importers.stix import read
from frontwatch.model import Claim, Document, Entity, Extraction, Mention
from frontwatch.model import Evidence as Sentence
from frontwatch.store.db import Store
from frontwatch.store.ingest import store_extractions

OPTIONS = ValidationOptions(version="2.1", strict=False)


def edge(stance: str, documents: int, conf: float) -> Edge:
    evs = [Evidence(f"d{i}", "The MSS funded the society.", stance, None, None, None, confidence=conf)
           for i in range(documents)]
    return Edge(1, 1, 2, "funds", None, stance, documents, documents, "2024-01-01", "2024-01-02", "pending",
                evidence=evs, confidence=conf)


@pytest.mark.parametrize(("stance", "documents", "conf", "want"), [
    ("asserted", 1, 1.0, 100),  # the rules' claims
    ("asserted", 1, 0.5, 50),
    ("asserted", 6, 0.905, 90),  # corroboration and stance travel beside it, not in it
    ("alleged", 2, 0.8, 80),
    ("denied", 1, 0.6, 60),
    ("asserted", 1, 0.0, 0),
])
def test_stix_confidence_is_the_claims(stance: str, documents: int, conf: float,
                                                                want: int) -> None:
    assert confidence(edge(stance, documents, conf)) == want


def extraction(doc_id: str, conf: float) -> Extraction:
    text = "The Ministry of State Security funded the Harbour Friendship Society."

    def entity(name: str, typ: str) -> Entity:
        start = text.index(name)
        return Entity(name, typ, mentions=[Mention(start, start + len(name), name)])

    claim = Claim("Ministry of State Security", "funds", "Harbour Friendship Society", stance="asserted",
                  evidence=Sentence(text, 0, len(text)), confidence=conf)
    return Extraction(Document(id=doc_id, text=text, url=f"https://example.org/{doc_id}", date="2024-05-01"),
                      [entity("Ministry of State Security", "state_body"),
                       entity("Harbour Friendship Society", "organization")], [claim])


def relationship(bundle: dict[str, Any]) -> dict[str, Any]:
    (rel,) = [o for o in bundle["objects"] if o["type"] == "relationship"]
    return rel


def test_stix_export_and_import_keep_the_claims_confidence(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store_extractions(store, [extraction("a", 0.42)])
    with store.read() as s:
        bundle = to_bundle(load_network(s))
    store.close()
    assert not validate_parsed_json(bundle, OPTIONS).errors
    rel = relationship(bundle)
    assert rel["confidence"] == 42  # the claim's 0.42
    assert [e["confidence"] for e in rel["x_frontwatch_evidence"]] == [0.42]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    (ex,) = read(path)
    assert [c.confidence for c in ex.claims] == [0.42]
    again = Store(f"sqlite:///{tmp_path / 'b.db'}")
    store_extractions(again, read(path))
    with again.read() as s:
        network = load_network(s)
    again.close()
    assert [e.confidence for e in network.edges] == [pytest.approx(0.42)]
    assert relationship(to_bundle(network))["confidence"] == 42


def test_a_third_party_confidence_becomes_the_claims(tmp_path: Path) -> None:
    def obj(kind: str, n: int, **props: Any) -> dict[str, Any]:
        return {"type": kind, "spec_version": "2.1", "id": f"{kind}--00000000-0000-4000-8000-{n:012d}",
                "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", **props}

    actor = obj("intrusion-set", 1, name="Storm-0000")
    victim = obj("identity", 2, name="Jane Roe", identity_class="individual")
    rated = obj("relationship", 3, relationship_type="targets", source_ref=actor["id"],
                target_ref=victim["id"], confidence=80, description="Storm-0000 targeted Jane Roe.")
    unrated = obj("relationship", 4, relationship_type="recruits", source_ref=actor["id"],
                  target_ref=victim["id"], description="Storm-0000 recruited Jane Roe.")
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000",
                                "objects": [actor, victim, rated, unrated]}))
    (ex,) = read(path)
    assert {c.predicate: c.confidence for c in ex.claims} == {"targets": 0.8, "recruits": 1.0}


def test_gexf_graphml_and_csv_edges_carry_the_confidence(tmp_path: Path) -> None:
    e = edge("alleged", 1, 0.375)
    assert edge_attributes(e)["confidence"] == 0.375
    network = Network({1: Node(1, "MSS", "state_body"), 2: Node(2, "Society", "organization")}, [e],
                      {"d0": SourceDocument("d0", None, None, None, None, "2024-01-01")})
    csv_export.write(network, tmp_path / "t")
    with (tmp_path / "t" / "edges.csv").open(newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert float(row["confidence"]) == 0.375
