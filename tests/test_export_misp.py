"""MISP event export: the file loads with PyMISP (MISPEvent.load_file), every entity is an object,
every claim a reference between the ends plus an annotation that says its stance and attribution and
carries frontwatch's tags and the tactic's DISARM galaxy tags; relationships are MISP's own names."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from pymisp import MISPEvent
from test_export_stix import _network

from frontwatch.export.misp import mapping, write
from frontwatch.graph.network import Network
from frontwatch.model import PREDICATES


def _load(path: Path) -> MISPEvent:
    event = MISPEvent()
    event.load_file(str(path))
    return event


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> MISPEvent:
    path = tmp_path_factory.mktemp("misp") / "event.misp.json"
    write(_network(), path)
    return _load(path)


def test_entities_are_objects(small: MISPEvent) -> None:
    net = _network()
    kinds = {o.name for o in small.objects}
    assert kinds == {"person", "organization", "geolocation", "annotation"}
    names = {a.value for o in small.objects if o.name != "annotation" for a in o.attributes
             if a.object_relation in ("full-name", "name", "country", "city")}
    assert names == {n.name for n in net.nodes.values()}
    china = next(o for o in small.objects if o.get_attributes_by_relation("country"))
    assert china.get_attributes_by_relation("countrycode")[0].value == "cn"
    orgs = {o.get_attributes_by_relation("name")[0].value: o
            for o in small.objects if o.name == "organization"}
    mss = orgs["Ministry of State Security"]
    assert {a.value for a in mss.get_attributes_by_relation("alias")} == {"MSS"}
    assert mss.get_attributes_by_relation("type-of-organization")[0].value == "state body"


def test_claims_are_references_and_annotations(small: MISPEvent) -> None:
    net = _network()
    by_uuid = {o.uuid: o for o in small.objects}
    refs = [(o, r) for o in small.objects if o.name != "annotation" for r in o.references]
    assert len(refs) == len(net.edges)
    seen = {}
    for source, ref in refs:
        predicate, stance = ref.comment.split(".")[0].split(", ")
        seen[predicate] = (ref.relationship_type, stance)
        assert ref.referenced_uuid in by_uuid and source.uuid != ref.referenced_uuid
    assert seen == {"recruits": ("targets", "alleged"), "targets": ("targets", "denied"),
                    "interferes_in": ("targets", "asserted"), "investigates": ("related-to", "asserted"),
                    "located_in": ("located-at", "asserted")}
    notes = [o for o in small.objects if o.name == "annotation"]
    assert len(notes) == len(net.edges)
    for note in notes:
        (text,) = note.get_attributes_by_relation("text")
        tags = {t.name for t in text.tags}
        assert {r.relationship_type for r in note.references} == {"annotates"}
        assert {by_uuid[r.referenced_uuid].name for r in note.references} <= {
            "person", "organization", "geolocation"}
        stance = next(t for t in tags if t.startswith("frontwatch:stance=")).split('"')[1]
        assert f": {stance}" in text.value.splitlines()[0]  # the stance is in the words, too
    recruits = next(n for n in notes if 'frontwatch:predicate="recruits"' in
                    {t.name for t in n.get_attributes_by_relation("text")[0].tags})
    body = recruits.get_attributes_by_relation("text")[0].value
    assert "alleged by CSIS" in body and "Alleged by CSIS: CSIS alleges the MSS recruited Jane Roe." in body
    assert [a.value for a in recruits.get_attributes_by_relation("ref")] == ["https://example.org/a"]
    interferes = next(n for n in notes if 'frontwatch:predicate="interferes_in"' in
                      {t.name for t in n.get_attributes_by_relation("text")[0].tags})
    assert {t.name for t in interferes.get_attributes_by_relation("text")[0].tags} >= {
        'frontwatch:tactic="disinformation"', 'misp-galaxy:disarm="Develop Text-Based Content"'}
    assert 'misp-galaxy:disarm="Develop Text-Based Content"' in {t.name for t in small.tags}


def test_mapping_uses_misps_own_names() -> None:
    ships = resources.files("pymisp").joinpath("data", "misp-objects", "relationships", "definition.json")
    known = {v["name"] for v in json.loads(ships.read_text(encoding="utf-8"))["values"]}
    assert set(mapping()["relationships"]) == set(PREDICATES)
    assert set(mapping()["relationships"].values()) <= known
    tactics = resources.files("frontwatch").joinpath("data", "tactics.yaml").read_text(encoding="utf-8")
    for tactic, tags in mapping()["tactics"].items():
        assert tactic in tactics
        assert all(t.startswith('misp-galaxy:disarm="') and t.endswith('"') for t in tags)


def test_cli_exports_the_example_store(example_store_url: str, example_network: Network,
                                       tmp_path: Path) -> None:
    out = tmp_path / "event.misp.json"
    done = subprocess.run([sys.executable, "-m", "frontwatch", "export", "--format", "misp", "-o", str(out),
                           "--db", example_store_url], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    event = _load(out)
    notes = [o for o in event.objects if o.name == "annotation"]
    assert len(notes) == len(example_network.edges)
    assert len(event.objects) - len(notes) == len(example_network.nodes)
    for note in notes:
        (text,) = note.get_attributes_by_relation("text")
        assert any(t.name.startswith("frontwatch:stance=") for t in text.tags)
