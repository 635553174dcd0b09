"""FollowTheMoney link schemata and dates: each claim takes the schema that fits (Membership,
Employment, Directorship, Representation, Payment, else UnknownLink), its dates are the event dates of
its evidence or else the published dates of its documents (never the ingest day), and the export loads
with followthemoney's own tools (`ftm validate`, `ftm aggregate`, `ftm export-gexf`) without errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from frontwatch.export import ftm
from frontwatch.graph.network import Edge, Evidence, Network, Node, SourceDocument
from frontwatch.importers.ftm import read

PUBLISHED = SourceDocument("pub", "Report", "https://example.org/r", "Example News", "2023-05-01",
                           "2023-05-01")
# a document whose publication day is unknown: the day it was ingested must never become a date
INGESTED = SourceDocument("ing", "Notes", None, None, None, "2030-01-02")


def one_claim(s_type: str, predicate: str, o_type: str, sentence: str, date: str | None = None,
              doc: SourceDocument = PUBLISHED) -> Network:
    nodes = {1: Node(1, "Subject Name", s_type), 2: Node(2, "Object Name", o_type)}
    ev = Evidence(doc.key, sentence, "alleged", "CSIS", date, None)
    edge = Edge(7, 1, 2, predicate, None, "alleged", 1, 1, doc.date, doc.date, "pending", ["CSIS"], [], [ev])
    return Network(nodes, [edge], {doc.key: doc})


def link(net: Network) -> dict:  # type: ignore[type-arg]
    entities = ftm.to_entities(net)
    assert ftm.validate(entities) == []
    (found,) = [e for e in entities if "recordId" in e["properties"]]
    return found


@pytest.mark.parametrize(("s_type", "predicate", "o_type", "sentence", "schema", "role"), [
    ("person", "affiliated_with", "state_body", "Subject Name is a member of Object Name.", "Membership",
     "affiliated_with"),
    ("person", "affiliated_with", "state_body", "Subject Name works for Object Name.", "Employment",
     "works for"),
    ("person", "affiliated_with", "state_body", "Object Name officer Subject Name was seen.", "Employment",
     "officer"),
    ("person", "affiliated_with", "state_body", "Object Name director Subject Name spoke.", "Directorship",
     "director"),
    ("organization", "affiliated_with", "state_body", "Subject Name acts as an agent of Object Name.",
     "Representation", "agent"),
    ("person", "affiliated_with", "organization", "Subject Name acted on behalf of Object Name.",
     "Representation", "agent"),
    ("state_body", "funds", "organization", "Subject Name paid Object Name.", "Payment", None),
    ("person", "affiliated_with", "country", "Subject Name is an agent of Object Name.", "UnknownLink",
     "affiliated_with"),  # a country is an Address in FtM, never a client
    ("state_body", "funds", "country", "Subject Name funded Object Name.", "UnknownLink", "funds"),
    ("state_body", "targets", "person", "Subject Name targeted Object Name.", "UnknownLink", "targets"),
])
def test_schema_that_fits(s_type: str, predicate: str, o_type: str, sentence: str, schema: str,
                          role: str | None, tmp_path: Path) -> None:
    net = one_claim(s_type, predicate, o_type, sentence)
    found = link(net)
    assert found["schema"] == schema
    assert found["properties"].get("role") == ([role] if role else None)
    out = tmp_path / "one.ftm.jsonl"
    ftm.write(net, out)
    (ex,) = read(out)  # and it comes back as the same claim, still alleged by CSIS
    assert [(c.subject, c.predicate, c.object, c.stance, c.attributed_to) for c in ex.claims] == [
        ("Subject Name", predicate, "Object Name", "alleged", "CSIS")]


@pytest.mark.parametrize(("date", "doc", "dates"), [
    ("2022", PUBLISHED, ["2022"]),  # the event date the sentence gives
    ("2021-03-04", INGESTED, ["2021-03-04"]),
    ("in the spring", PUBLISHED, ["2023-05-01"]),  # not a date: the published day
    (None, PUBLISHED, ["2023-05-01"]),
    (None, INGESTED, []),  # never the day it was ingested
])
def test_dates_are_event_or_published_never_ingest(date: str | None, doc: SourceDocument,
                                                   dates: list[str]) -> None:
    net = one_claim("state_body", "targets", "person", "Subject Name targeted Object Name.", date, doc)
    props = link(net)["properties"]
    assert props.get("date", []) == dates and props.get("startDate", []) == dates[:1]
    assert "endDate" not in props
    (document,) = [e for e in ftm.to_entities(net) if e["schema"] == "Document"]
    assert document["properties"].get("date") == ([doc.published] if doc.published else None)


def test_ftm_tools_load_the_export(example_network: Network, tmp_path: Path) -> None:
    out = tmp_path / "network.ftm.json"
    count = ftm.write(example_network, out)
    tool = str(Path(sys.executable).with_name("ftm"))
    for command, result in (("validate", "valid.json"), ("aggregate", "aggregated.json"),
                            ("export-gexf", "network.gexf")):
        done = subprocess.run([tool, command, "-i", str(out), "-o", str(tmp_path / result)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "Error" not in done.stderr, (command, done.stderr[-2000:])
    assert len((tmp_path / "valid.json").read_text().splitlines()) == count
    assert len((tmp_path / "aggregated.json").read_text().splitlines()) == count  # ids are unique
    gexf = (tmp_path / "network.gexf").read_text()
    assert gexf.count("<edge ") >= len(example_network.edges) > 0  # every claim link is an edge
