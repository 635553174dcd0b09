"""Tracker spreadsheets (DFRLab FIAT layout) as Extractions: the structured attribution of every row,
alleged by its accuser, plus what the extractor reads in the description; bad input is one line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frontwatch.errors import SourceError
from frontwatch.importers.tracker_csv import bundled_mapping, first_sentence, iso_date, read
from frontwatch.model import Extraction

if TYPE_CHECKING:
    from spacy.language import Language

SAMPLE = Path(__file__).parent / "fixtures" / "trackers" / "fiat_sample.csv"
FIAT = bundled_mapping("dfrlab_fiat")

# row id -> (actor, predicate, target, tactic, accuser, actor country or None when it is the actor)
EXPECTED = {
    "FIAT-S01": ("Doppelganger", "interferes_in", "Germany", "disinformation", "German Foreign Office",
                 "Russia"),
    "FIAT-S02": ("Iran", "targets", "United States", "intimidation",
                 "Office of the Director of National Intelligence", None),
    "FIAT-S03": ("Iran", "interferes_in", "United States", "espionage",
                 "Office of the Director of National Intelligence", None),
    "FIAT-S04": ("Spamouflage", "interferes_in", "Canada", "disinformation", "Global Affairs Canada",
                 "China"),
    "FIAT-S05": ("China", "interferes_in", "Canada", "disinformation", "Global Affairs Canada", None),
    "FIAT-S06": ("STOIC", "interferes_in", "United States", "disinformation", "Meta", "Israel"),
    "FIAT-S07": ("Portal Kombat", "interferes_in", "France", "disinformation", "Viginum", "Russia"),
    "FIAT-S08": ("Srivastava Group", "interferes_in", "European Union", "disinformation", "EU DisinfoLab",
                 "India"),
}


@pytest.fixture(scope="module")
def imported(pipeline: Language) -> list[Extraction]:
    return read(SAMPLE, FIAT)


def _names(ex: Extraction) -> set[str]:
    return {form for e in ex.entities for form in (e.name, *e.aliases)}


def test_every_row_is_a_document(imported: list[Extraction]) -> None:
    assert [ex.document.id for ex in imported] == list(EXPECTED)
    for ex in imported:
        doc = ex.document
        assert doc.text and doc.url and doc.source == str(SAMPLE)
        assert doc.date is not None and len(doc.date) == 10
    assert imported[1].document.date == "2020-10-21"  # "October 21, 2020" in the sheet


def test_structured_claim_is_alleged_by_the_accuser(imported: list[Extraction]) -> None:
    for ex in imported:
        actor, predicate, target, tactic, accuser, _ = EXPECTED[ex.document.id]
        claims = {c.key(): c for c in ex.claims}
        claim = claims.get((actor, predicate, target))
        assert claim is not None, (ex.document.id, sorted(claims))
        assert claim.stance == "alleged" and claim.attributed_to == accuser
        assert claim.tactic == tactic
        names = _names(ex)
        assert {actor, target, accuser} <= names  # every end and the attribution are entities
        assert claim.evidence is not None
        assert ex.document.text[claim.evidence.start:claim.evidence.end] == claim.evidence.text
        assert claim.evidence.text.endswith(".") and claim.evidence.text in ex.document.text


def test_actor_country_affiliation(imported: list[Extraction]) -> None:
    for ex in imported:
        actor, _, _, _, accuser, country = EXPECTED[ex.document.id]
        affiliations = [c for c in ex.claims if c.subject == actor and c.predicate == "affiliated_with"]
        if country is None:  # actor and actor country are the same state: nothing to link
            assert not affiliations
        else:
            assert [(c.object, c.stance, c.attributed_to) for c in affiliations] == [
                (country, "alleged", accuser)]
            country_ent = next(e for e in ex.entities if e.name == country)
            assert country_ent.type == "country"


def test_several_targets_and_accusers(imported: list[Extraction]) -> None:
    stoic = next(ex for ex in imported if ex.document.id == "FIAT-S06")
    assert ("STOIC", "interferes_in", "Canada") in {c.key() for c in stoic.claims}
    iran = next(ex for ex in imported if ex.document.id == "FIAT-S03")
    assert {"Federal Bureau of Investigation", "Cybersecurity and Infrastructure Security Agency"} <= {
        e.name for e in iran.entities}


def test_descriptions_add_extracted_claims(imported: list[Extraction]) -> None:
    extracted = [c for ex in imported for c in ex.claims if c.trigger != "tracker row"]
    assert extracted, "the extractor found nothing in any description"
    for ex in imported:  # the merge keeps one claim per (subject, predicate, object)
        keys = [c.key() for c in ex.claims]
        assert len(keys) == len(set(keys))
        names = _names(ex)
        assert all(c.subject in names and c.object in names for c in ex.claims)


def test_import_stores_every_row(imported: list[Extraction], tmp_path: Path) -> None:
    from frontwatch.graph.network import load_network
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import store_extractions

    store = Store(f"sqlite:///{tmp_path / 'tracker.db'}")
    report = store_extractions(store, imported)
    assert not report.failed and report.new == list(EXPECTED)
    with store.read() as session:
        net = load_network(session)
    store.close()
    names = {n.id: n.name for n in net.nodes.values()}
    edges = {(names[e.source], e.predicate, names[e.target]): e for e in net.edges}
    for actor, predicate, target, tactic, accuser, _ in EXPECTED.values():
        edge = edges[(actor, predicate, target)]
        assert edge.stance == "alleged" and accuser in edge.alleged_by and edge.tactic == tactic


# --- without the model: layout variants and value rules ------------------------------------------

def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_accuser_is_asserted_and_candidate_headers(tmp_path: Path) -> None:
    path = _csv(tmp_path, "ID;Actor;Target;Methods;Summary\n"
                          ";GRU;Bellingcat;Harassment of journalists;The GRU harassed reporters.\n")
    mapping = _csv(tmp_path, "columns:\n  id: [Attribution ID, ID]\n  actor: Actor\n  target: [Target]\n"
                             "  method: [Tactics, Methods]\n  description: [Description, Summary]\n"
                             "types: {target: organization}\n"
                             "predicate_by_method: {harass: targets}\n"
                             "method_to_tactic: {harass: intimidation}\n", "m.yaml")
    [ex] = read(path, mapping, extract=False)
    assert ex.document.id == "row1" and ex.document.text == "The GRU harassed reporters."
    gru = next(e for e in ex.entities if e.name == "GRU")
    assert gru.type == "state_body" and gru.gazetteer_id == "ru-gru"  # the gazetteer knows it
    assert next(e for e in ex.entities if e.name == "Bellingcat").type == "organization"
    [claim] = ex.claims  # no accuser: the tracker's own statement
    assert (claim.key(), claim.stance, claim.attributed_to, claim.tactic) == (
        ("GRU", "targets", "Bellingcat"), "asserted", None, "intimidation")


def test_row_without_description_keeps_its_cells_as_text(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Actor,Target country,Tactics,Description\nRussia,Moldova,Bribery of voters,\n")
    [ex] = read(path, FIAT, extract=False)
    assert ex.document.text.splitlines() == ["Actor: Russia", "Target country: Moldova",
                                             "Tactics: Bribery of voters"]
    [claim] = ex.claims
    assert (claim.key(), claim.stance, claim.attributed_to, claim.tactic) == (
        ("Russia", "interferes_in", "Moldova"), "asserted", None, "covert_funding")


@pytest.mark.parametrize(("text", "first"), [
    ("U.S. officials said Iran did it. Then more.", "U.S. officials said Iran did it."),
    ("  One line\nSecond line.", "One line"),
    ("No end", "No end"),
    ('He said "stop." She left.', 'He said "stop."'),
])
def test_first_sentence(text: str, first: str) -> None:
    start, end = first_sentence(text)
    assert text[start:end] == first


@pytest.mark.parametrize(("raw", "iso"), [("2024-01-26", "2024-01-26"), ("1/26/2024", "2024-01-26"),
                                          ("January 26, 2024", "2024-01-26"), ("May 2024", "2024-05"),
                                          ("2024", "2024"), ("sometime", None)])
def test_dates(raw: str, iso: str | None) -> None:
    assert iso_date(raw) == iso


# --- bad input: one line naming the file or column ------------------------------------------------

def _one_line(err: pytest.ExceptionInfo[SourceError], *words: str) -> None:
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(SourceError) as err:
        read(missing, FIAT, extract=False)
    _one_line(err, str(missing), "no such file")


def test_not_csv(tmp_path: Path) -> None:
    prose = _csv(tmp_path, "This is a memo, not a table.\nIt has two lines.\n", "memo.txt")
    with pytest.raises(SourceError) as err:
        read(prose, FIAT, extract=False)
    _one_line(err, str(prose))
    binary = tmp_path / "blob.csv"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    with pytest.raises(SourceError) as err:
        read(binary, FIAT, extract=False)
    _one_line(err, str(binary), "binary")


def test_required_column_missing(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Attributed actor,Target country\nRussia,Germany\n")
    with pytest.raises(SourceError) as err:
        read(path, FIAT, extract=False)
    _one_line(err, str(path), "'description'", "'Summary'")
    mapping = _csv(tmp_path, "columns:\n  actor: Perpetrator\n  description: Description\n", "m.yaml")
    with pytest.raises(SourceError) as err:
        read(SAMPLE, mapping, extract=False)
    _one_line(err, str(SAMPLE), "'actor'", "'Perpetrator'")


def test_mapping_errors(tmp_path: Path) -> None:
    bad_yaml = _csv(tmp_path, "columns:\n  actor: [Actor\n  description: x\n", "bad.yaml")
    with pytest.raises(SourceError) as err:
        read(SAMPLE, bad_yaml, extract=False)
    _one_line(err, str(bad_yaml), "not valid YAML")
    no_actor = _csv(tmp_path, "columns:\n  description: Description\n", "noactor.yaml")
    with pytest.raises(SourceError) as err:
        read(SAMPLE, no_actor, extract=False)
    _one_line(err, str(no_actor), "'actor'")
    bad_tactic = _csv(tmp_path, "columns: {actor: Actor, description: Description}\n"
                                "method_to_tactic: {hack: hacking}\n", "tactic.yaml")
    with pytest.raises(SourceError) as err:
        read(SAMPLE, bad_tactic, extract=False)
    _one_line(err, str(bad_tactic), "'hacking'")
    with pytest.raises(SourceError) as err:
        read(SAMPLE, tmp_path / "absent.yaml", extract=False)
    _one_line(err, "absent.yaml", "no such file")


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = _csv(tmp_path, "", "empty.csv")
    with pytest.raises(SourceError) as err:
        read(empty, FIAT, extract=False)
    _one_line(err, str(empty), "empty")
    header = _csv(tmp_path, "Attributed actor,Description\n", "header.csv")
    with pytest.raises(SourceError) as err:
        read(header, FIAT, extract=False)
    _one_line(err, str(header), "no data rows")
