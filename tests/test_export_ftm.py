"""FollowTheMoney export and import: valid entities, stance on every link, deterministic output, and a
round trip through an empty store that keeps every actor and every claim with its stance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frontwatch.errors import SourceError
from frontwatch.export import ftm
from frontwatch.graph.network import Edge, Evidence, Network, Node, SourceDocument, load_network
from frontwatch.importers.ftm import read
from frontwatch.model import STANCES
from frontwatch.store.db import Store
from frontwatch.store.ingest import SYMMETRIC, store_extractions

LINKS = {"Membership", "Directorship", "Employment", "Representation", "Payment", "UnknownLink"}


def small_network() -> Network:
    """Hand-made: URLs and publishers, a payment with an amount, a head role, an allegation with a
    denial, an unattributed allegation, countries and places."""
    nodes = [Node(1, "Li Wei", "person", ["Li"]), Node(2, "United Front Work Department", "state_body",
                                                       ["UFWD"], state="CN"),
             Node(3, "China", "country", ["PRC"], "CN", "CN"), Node(4, "Toronto Business Association",
                                                                     "organization"),
             Node(5, "Chinese Consulate in Toronto", "diplomatic_mission", [], "cn-consulate-toronto", "CN"),
             Node(6, "Toronto", "place", [], "place-ca-toronto", "CA"),
             Node(7, "Fuzhou police station in Toronto", "overseas_station"),
             Node(8, "Mike Duheme", "person"), Node(9, "Royal Canadian Mounted Police", "state_body",
                                                     ["RCMP"], "ca-rcmp", "CA"),
             Node(10, "Canada", "country", [], "CA", "CA")]
    docs = [SourceDocument("a-report", "Consulate money", "https://example.org/a", "Global News",
                           "2023-05-01", "2023-05-01"),
            SourceDocument("b-report", "RCMP statement", None, None, None, "2023-06-02")]
    a, b = "a-report", "b-report"

    def edge(i: int, s: int, p: str, o: int, stance: str, tactic: str | None, evs: list[Evidence],
             alleged: list[str] | None = None, denied: list[str] | None = None) -> Edge:
        dates = sorted({"2023-05-01" if ev.document == a else "2023-06-02" for ev in evs})
        return Edge(i, s, o, p, tactic, stance, len({ev.document for ev in evs}),
                    len({ev.document for ev in evs if ev.document == a}), dates[0], dates[-1], "pending",
                    alleged or [], denied or [], evs)

    edges = [
        edge(1, 5, "funds", 4, "alleged", "covert_funding", [Evidence(
            a, "CSIS said the Chinese Consulate in Toronto gave C$250,000 to the Toronto Business "
               "Association.",
            "alleged", "CSIS", "2022", "C$250,000")], alleged=["CSIS"]),
        edge(2, 8, "affiliated_with", 9, "asserted", None, [Evidence(
            b, "RCMP Commissioner Mike Duheme said the inquiry continues.", "asserted", None, None, None)]),
        edge(3, 1, "affiliated_with", 2, "contested", "political_influence", [
            Evidence(a, "CSIS says Li Wei works for the UFWD.", "alleged", "CSIS", None, None),
            Evidence(b, "China denied that Li Wei works for the UFWD.", "denied", "China", None, None)],
            alleged=["CSIS"], denied=["China"]),
        edge(4, 7, "located_in", 6, "asserted", "covert_policing", [Evidence(
            a, "The Fuzhou police station in Toronto operated from a storefront.", "asserted", None, None,
            None)]),
        edge(5, 2, "controls", 7, "alleged", "covert_policing", [Evidence(
            b, "The Fuzhou police station in Toronto is reportedly run for the UFWD.", "alleged", None, None,
            None)]),
        edge(6, 3, "interferes_in", 10, "alleged", "political_influence", [Evidence(
            a, "Global News reported that China interfered in Canada.", "alleged", "Global News", None,
            None)], alleged=["Global News"]),
    ]
    return Network({n.id: n for n in nodes}, edges, {d.key: d for d in docs})


def by_schema(entities: list[dict[str, Any]], schema: str) -> list[dict[str, Any]]:
    return [e for e in entities if e["schema"] == schema]


def facts(net: Network) -> tuple[set[tuple[str, str]], set[tuple[str, str, str, str]]]:
    """(name, type) of every entity and (subject, predicate, object, stance) of every claim."""
    claims = set()
    for e in net.edges:
        s, o = net.nodes[e.source].name, net.nodes[e.target].name
        if e.predicate in SYMMETRIC:
            s, o = sorted((s, o))
        claims.add((s, e.predicate, o, e.stance))
    return {(n.name, n.type) for n in net.nodes.values()}, claims


def round_trip(net: Network, tmp_path: Path) -> Network:
    """export -> read -> store_extractions into an empty SQLite store -> load_network."""
    out = tmp_path / "net.ftm.jsonl"
    ftm.write(net, out)
    store = Store(f"sqlite:///{tmp_path / 'rt.db'}")
    report = store_extractions(store, read(out))
    assert not report.failed and not report.unchanged
    with store.read() as session:
        back = load_network(session)
    store.close()
    return back


def test_example_export_validates(example_network: Network) -> None:
    entities = ftm.to_entities(example_network)
    assert ftm.validate(entities) == []
    schemata = {e["schema"] for e in entities}
    assert {"Person", "PublicBody", "Organization", "Address", "Document", "Documentation"} <= schemata
    assert len(by_schema(entities, "Document")) == len(example_network.documents)
    assert sum(e["schema"] in LINKS for e in entities) == len(example_network.edges)


@pytest.mark.parametrize("which", ["example", "small"])
def test_every_link_carries_stance_and_sources(which: str, example_network: Network) -> None:
    net = example_network if which == "example" else small_network()
    entities = ftm.to_entities(net)
    assert ftm.validate(entities) == []
    docs = {d["id"]: d["properties"] for d in by_schema(entities, "Document")}
    edges = {str(e.id): e for e in net.edges}
    for link in (e for e in entities if e["schema"] in LINKS):
        props = link["properties"]
        edge = edges[props["recordId"][0]]
        stance = props["purpose"][0].split(":")[0] if link["schema"] == "Payment" else props["status"][0]
        assert stance == edge.stance and edge.stance in (*STANCES, "contested")
        assert f"[stance: {edge.stance}]" in props["description"][0]
        assert props["description"][0].startswith(ftm.STANCE_WORDS[edge.stance])
        urls = {u for d in props["proof"] for u in docs[d].get("sourceUrl", [])}
        assert set(props.get("sourceUrl", [])) == urls
        for ev in edge.evidence:  # an allegation never reads as a bare fact
            assert ftm.stance_prefix(ev.stance, ev.attributed_to) + ev.sentence in props["summary"]


def test_small_network_mapping() -> None:
    entities = ftm.to_entities(small_network())
    by_name = {e["properties"]["name"][0]: e for e in entities if "name" in e["properties"]}
    assert by_name["Chinese Consulate in Toronto"]["schema"] == "PublicBody"
    assert by_name["Chinese Consulate in Toronto"]["properties"]["classification"] == ["diplomatic mission"]
    assert by_name["Fuzhou police station in Toronto"]["properties"]["classification"] == [
        "overseas police station"]
    station = by_name["Fuzhou police station in Toronto"]["properties"]
    assert station["country"] == ["ca"]  # from the asserted located_in
    assert by_name["China"]["schema"] == "Address" and by_name["China"]["properties"]["country"] == ["cn"]
    assert by_name["Li Wei"]["properties"].get("country") is None  # an allegation is not a property
    (payment,) = by_schema(entities, "Payment")
    assert payment["properties"]["amount"] == ["250000"] and payment["properties"]["currency"] == ["CAD"]
    assert payment["properties"]["purpose"] == ["alleged: covert funding"]
    assert payment["properties"]["summary"][0].startswith("Alleged by CSIS: ")
    assert payment["properties"]["sourceUrl"] == ["https://example.org/a"]
    assert payment["properties"]["publisher"] == ["Global News"]
    (director,) = by_schema(entities, "Directorship")
    assert director["properties"]["role"] == ["commissioner"]
    (employment,) = by_schema(entities, "Employment")  # "Li Wei works for the UFWD"
    assert employment["properties"]["role"] == ["works for"]
    assert any(s.startswith("Denied by China: ") for s in employment["properties"]["summary"])
    assert "Denied by: China." in employment["properties"]["description"][0]
    unattributed = next(e for e in by_schema(entities, "UnknownLink")
                        if e["properties"]["role"] == ["controls"])
    assert unattributed["properties"]["summary"][0].startswith("Alleged: ")
    pairs = {(d["properties"]["document"][0], d["properties"]["entity"][0])
             for d in by_schema(entities, "Documentation")}
    assert len(pairs) == len(by_schema(entities, "Documentation")) == 13


def test_two_exports_are_identical(example_network: Network, example_store_url: str, tmp_path: Path) -> None:
    ftm.write(example_network, tmp_path / "one.jsonl")
    with Store(example_store_url).read() as session:
        ftm.write(load_network(session), tmp_path / "two.jsonl")
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    lines = (tmp_path / "one.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == ftm.to_entities(example_network)


@pytest.mark.parametrize("which", ["example", "small"])
def test_round_trip_through_an_empty_store(which: str, example_network: Network, tmp_path: Path) -> None:
    net = example_network if which == "example" else small_network()
    back = round_trip(net, tmp_path)
    assert facts(back) == facts(net)
    again = ftm.to_entities(back)
    assert ftm.validate(again) == []
    first = {e["id"]: e["schema"] for e in ftm.to_entities(net)}
    assert {e["id"]: e["schema"] for e in again} == first  # same ids: keys are names, not store ids


def test_round_trip_keeps_attribution_amount_and_urls(tmp_path: Path) -> None:
    back = round_trip(small_network(), tmp_path)
    names = {n.id: n.name for n in back.nodes.values()}
    edges = {(names[e.source], e.predicate, names[e.target]): e for e in back.edges}
    li = edges[("Li Wei", "affiliated_with", "United Front Work Department")]
    assert li.alleged_by == ["CSIS"] and li.denied_by == ["China"] and li.tactic == "political_influence"
    money = edges[("Chinese Consulate in Toronto", "funds", "Toronto Business Association")]
    assert [(ev.amount, ev.date, ev.attributed_to) for ev in money.evidence] == [
        ("C$250,000", "2022", "CSIS")]
    assert back.documents["a-report"].url == "https://example.org/a"
    assert back.documents["a-report"].publisher == "Global News"
    assert back.documents["a-report"].published == "2023-05-01"
    assert back.documents["b-report"].published is None  # the ingest day is not a publication date


def test_ftm_tools_read_the_export(tmp_path: Path) -> None:
    """`ftm validate` (which re-cleans every value) and `ftm aggregate` keep every entity as it is, and
    the importer reads their output like ours."""
    from click.testing import CliRunner
    from followthemoney.cli.cli import cli

    src = tmp_path / "net.jsonl"
    ftm.write(small_network(), src)
    for command in ("validate", "aggregate"):
        out = tmp_path / f"{command}.jsonl"
        result = CliRunner().invoke(cli, [command, "-i", str(src), "-o", str(out)])
        assert result.exit_code == 0, result.output
        mine = {e["id"]: e for e in map(json.loads, src.read_text().splitlines())}
        theirs = {e["id"]: e for e in map(json.loads, out.read_text().splitlines())}
        assert {k: (e["schema"], e["properties"]) for k, e in theirs.items()} == {
            k: (e["schema"], e["properties"]) for k, e in mine.items()}
        assert [x.to_dict() for x in read(out)] == [
            {**x.to_dict(), "source": str(out)} for x in read(src)]


def test_read_other_tools_ftm(tmp_path: Path) -> None:
    """A file another tool wrote: types from schemata, no stance means alleged, no document means the
    extra extraction named after the file."""
    rows = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Jane Roe"]}},
        {"id": "e1", "schema": "PublicBody", "properties": {"name": ["Embassy of Ruritania in Ottawa"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["Acme Trading"]}},
        {"id": "a1", "schema": "Address", "properties": {"full": ["Canada"], "country": ["ca"]}},
        {"id": "m1", "schema": "Membership", "properties": {"member": ["p1"], "organization": ["c1"],
                                                            "summary": ["Jane Roe sits on Acme's board."]}},
        {"id": "u1", "schema": "UnknownLink", "properties": {"subject": ["e1"], "object": ["a1"],
                                                             "role": ["located_in"], "status": ["asserted"]}},
    ]
    path = tmp_path / "other.ftm.json"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (ex,) = read(path)
    assert ex.document.id == "other.ftm"
    assert {(e.name, e.type) for e in ex.entities} == {
        ("Jane Roe", "person"), ("Embassy of Ruritania in Ottawa", "diplomatic_mission"),
        ("Acme Trading", "organization"), ("Canada", "country")}
    claims = {(c.subject, c.predicate, c.object): c for c in ex.claims}
    member = claims[("Jane Roe", "affiliated_with", "Acme Trading")]
    assert member.stance == "alleged" and member.evidence is not None
    assert ex.document.text[member.evidence.start:member.evidence.end] == "Jane Roe sits on Acme's board."
    assert claims[("Embassy of Ruritania in Ottawa", "located_in", "Canada")].stance == "asserted"


def bad(tmp_path: Path, text: str) -> SourceError:
    path = tmp_path / "bad.jsonl"
    path.write_text(text)
    with pytest.raises(SourceError) as info:
        read(path)
    assert info.value.path == str(path) and "\n" not in str(info.value)
    return info.value


def test_bad_input(tmp_path: Path) -> None:
    person = json.dumps({"id": "p1", "schema": "Person", "properties": {"name": ["A"]}})
    assert "not JSON" in bad(tmp_path, "this is not json\n").reason
    assert "not an FtM entity" in bad(tmp_path, '["a list"]\n').reason
    assert "unknown FtM schema" in bad(tmp_path, json.dumps({"id": "x", "schema": "Spaceship"})).reason
    link = {"id": "l1", "schema": "UnknownLink", "properties": {"subject": ["p1"], "object": ["nowhere"],
                                                               "role": ["targets"]}}
    error = bad(tmp_path, f"{person}\n{json.dumps(link)}\n")
    assert "object points at 'nowhere', which is not an actor, body or place" in error.reason
    link["properties"]["object"], link["properties"]["role"] = ["p1"], ["knows"]
    assert "not a frontwatch predicate" in bad(tmp_path, f"{person}\n{json.dumps(link)}\n").reason
    doc = {"id": "d1", "schema": "Documentation", "properties": {"document": ["missing"], "entity": ["p1"]}}
    assert "which is not a document" in bad(tmp_path, f"{person}\n{json.dumps(doc)}\n").reason
    vessel = json.dumps({"id": "v1", "schema": "Vessel", "properties": {"name": ["Boaty"]}})
    assert "not supported" in bad(tmp_path, vessel).reason


def test_evidence_from_a_missing_document_is_refused(tmp_path: Path) -> None:
    entities = ftm.to_entities(small_network())
    kept = [e for e in entities if not (e["schema"] == "Document" and
                                        e["properties"]["fileName"] == ["b-report"])]
    kept = [e for e in kept if e["schema"] != "Documentation"]
    error = bad(tmp_path, "\n".join(json.dumps(e) for e in kept))
    assert "evidence from document 'b-report', which is not in the file" in error.reason


def test_validate_finds_problems() -> None:
    entities = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["A"], "nationality": ["Narnia"]}},
        {"id": "a1", "schema": "Address", "properties": {"full": ["Somewhere"]}},
        {"id": "m1", "schema": "Membership", "properties": {"member": ["p1"], "organization": ["a1"]}},
        {"id": "m2", "schema": "Membership", "properties": {"member": ["ghost"], "colour": ["red"]}},
        {"id": "x1", "schema": "Thing", "properties": {}},
    ]
    problems = "\n".join(ftm.validate(entities))
    assert "nationality value 'Narnia'" in problems
    assert "points at a Address, not a Organization" in problems
    assert "points at ghost, which is not exported" in problems
    assert "requires organization" in problems and "no property 'colour'" in problems
    assert "abstract schema 'Thing'" in problems
