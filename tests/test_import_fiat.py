"""DFRLab's 2020 Foreign Interference Attribution Tracker in its published column layout (case_hash,
case_id, source, ..., disinformant, disinformant_nation, short_description, attribution_date, methods,
the attribution_* rubric and attribution_total_score) through the shipped mapping: one attribution
per row, alleged by the row's source, against the United States; every row stored, a re-import adds
nothing, and DFRLab's score is visible in the exports."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frontwatch.importers.tracker_csv import bundled_mapping, read
from frontwatch.model import Extraction

if TYPE_CHECKING:
    from spacy.language import Language

FIAT_2020 = Path(__file__).parent / "fixtures" / "trackers" / "fiat_2020_layout.csv"
FIAT = bundled_mapping("dfrlab_fiat")
US = "United States"

# case_id -> (disinformants, source, tactic, date, {actor: its nation}, attribution_total_score)
ROWS = {
    "1": (["Blue Heron Group", "GRU"], "Microsoft", "espionage", "2020-09-10",
          {"Blue Heron Group": "Russia", "GRU": "Russia"}, "12"),
    "2": (["Russia", "China", "Iran"], "Office of the Director of National Intelligence", "disinformation",
          "2020-08-07", {}, "9"),
    "3": (["Harbor Light Network"], "Federal Bureau of Investigation", "disinformation", "2020-10-02",
          {"Harbor Light Network": "Iran"}, "11"),
    "4": (["Harbor Light Network"], "Cybersecurity and Infrastructure Security Agency", "disinformation",
          "2020-10-05", {"Harbor Light Network": "Iran"}, "11"),
    "5": (["Silver Kite Media", "Northwind Collective"], "Graphika", "disinformation", "2020-10-21",
          {"Silver Kite Media": "Russia", "Northwind Collective": "Iran"}, "14"),
    "6": (["China", "Lantern Voices"], "Twitter", "disinformation", "2020-10-28", {"Lantern Voices": "China"},
          "6"),
}


@pytest.fixture(scope="module")
def imported(pipeline: Language) -> list[Extraction]:
    return read(FIAT_2020, FIAT)


def test_every_row_is_a_document(imported: list[Extraction]) -> None:
    assert [ex.document.id for ex in imported] == list(ROWS)
    texts = [ex.document.text for ex in imported]
    assert texts[2] == texts[3]  # two attributions of one case share their short_description
    for ex in imported:
        _, _, _, date, _, score = ROWS[ex.document.id]
        assert ex.document.date == date  # attribution_date, 09/10/2020 in the sheet
        assert ex.document.url == f"https://example.org/fiat/{ex.document.id}"
        assert f"DFRLab FIAT attribution score {score}," in (ex.document.title or "")


@pytest.mark.parametrize("case", list(ROWS))
def test_each_disinformant_is_alleged_against_the_us(imported: list[Extraction], case: str) -> None:
    ex = next(e for e in imported if e.document.id == case)
    actors, source, tactic, date, nations, _ = ROWS[case]
    claims = {c.key(): c for c in ex.claims}
    names = {form for e in ex.entities for form in (e.name, *e.aliases)}
    assert source in names
    for actor in actors:
        claim = claims.get((actor, "interferes_in", US))
        assert claim is not None, (actor, sorted(claims))
        assert (claim.stance, claim.attributed_to, claim.tactic, claim.date, claim.trigger) == (
            "alleged", source, tactic, date, "tracker row")
        assert claim.evidence is not None and claim.evidence.text in ex.document.text
    structured = {(c.subject, c.object) for c in ex.claims
                  if c.predicate == "affiliated_with" and c.trigger == "tracker row"}
    assert structured == set(nations.items())
    for nation in nations.values():
        assert next(e for e in ex.entities if e.name == nation).type == "country"
    state_actors = {e.name for e in ex.entities if e.name in actors and e.type == "country"}
    assert not {s for s, _ in structured} & state_actors  # a state is nobody's affiliate here


def test_all_rows_stored_and_a_reimport_adds_nothing(imported: list[Extraction], tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from frontwatch.export import stix
    from frontwatch.graph.network import load_network
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import store_extractions
    from frontwatch.store.schema import ClaimRow, DocumentRow, EntityRow, EvidenceRow

    store = Store(f"sqlite:///{tmp_path / 'fiat.db'}")

    def counts() -> tuple[int, ...]:
        with store.read() as session:
            return tuple(session.scalar(select(func.count()).select_from(t)) or 0
                         for t in (DocumentRow, EntityRow, ClaimRow, EvidenceRow))

    first = store_extractions(store, imported)
    assert not first.failed and first.new == list(ROWS)
    before = counts()
    assert before[0] == len(ROWS)
    again = store_extractions(store, read(FIAT_2020, FIAT))
    assert again.new == [] and again.updated == [] and again.unchanged == list(ROWS)
    assert counts() == before
    with store.read() as session:
        net = load_network(session)
    store.close()
    names = {n.id: n.name for n in net.nodes.values()}
    harbor = next(e for e in net.edges if (names[e.source], e.predicate, names[e.target]) == (
        "Harbor Light Network", "interferes_in", US))
    assert harbor.documents == 2 and harbor.alleged_by == [
        "Cybersecurity and Infrastructure Security Agency", "Federal Bureau of Investigation"]
    reports = [o for o in stix.to_bundle(net)["objects"] if o["type"] == "report"]
    assert any("attribution score 14" in r["name"] for r in reports)  # DFRLab's score travels


def test_repeated_case_id_keeps_both_rows(tmp_path: Path) -> None:
    cells = FIAT_2020.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = {"case_id": "7", "source": "Meta", "disinformant": "Grey Finch, Copper Owl", "disinformant_nation":
           "Belarus", "short_description": "Meta said two pages spread false claims.", "attribution_date":
           "11/02/2020", "methods": "Fake accounts"}
    path = tmp_path / "fiat.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerows([cells, [row.get(c, "") for c in cells],
                          [row.get(c, "") if c != "source" else "Facebook" for c in cells]])
    first, second = read(path, FIAT, extract=False)
    assert (first.document.id, second.document.id) == ("7", "7#2")
    assert first.document.record != second.document.record
    for ex, accuser in ((first, "Meta"), (second, "Facebook")):
        keys = {(c.key(), c.attributed_to) for c in ex.claims}
        assert {((actor, predicate, target), accuser) for actor in ("Grey Finch", "Copper Owl")
                for predicate, target in (("interferes_in", US), ("affiliated_with", "Belarus"))} <= keys


def test_cli_import_twice(tmp_path: Path, pipeline: Language) -> None:
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runs = [subprocess.run([sys.executable, "-m", "frontwatch", "import", "csv", str(FIAT_2020), "--mapping",
                            str(FIAT), "--db", db], capture_output=True, text=True, timeout=300)
            for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert f": {len(ROWS)} new, 0 unchanged, 0 updated, 0 failed" in runs[0].stderr
    assert f": 0 new, {len(ROWS)} unchanged, 0 updated, 0 failed" in runs[1].stderr
