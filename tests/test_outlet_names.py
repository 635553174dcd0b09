"""Outlets named by a page's masthead or a wire story's dateline (pipeline/outlet_names.py), on texts
written for these tests, with the real spaCy model."""

from __future__ import annotations

import pytest

from frontwatch.extract import extract_one
from frontwatch.model import Document, Entity

BODY = "Police in Tallinn arrested an army officer who had passed documents to Russia's GRU."


def entities(text: str) -> list[Entity]:
    return extract_one(Document(id="t", text=text)).entities


def holder(text: str, form: str) -> Entity | None:
    form = form.lower()
    return next((e for e in entities(text) if form in (n.lower() for n in (e.name, *e.aliases))), None)


@pytest.mark.parametrize(("text", "outlet"), [
    (f"The Westminster Courier\nHome > UK > Courts\n\nOfficer jailed\n\n{BODY}", "Westminster Courier"),
    (f"BALTIC COURTS WATCH\nEstonia | Security | Court reports\n\nOfficer jailed\n\n{BODY}",
     "BALTIC COURTS WATCH"),
    (f"Spycraft Explained | The Atlantic Ledger\n\nOfficer jailed\n\n{BODY}", "Atlantic Ledger"),
    (f"Pacific Law Report - Courts & Litigation\n\nOfficer jailed\n\n{BODY}", "Pacific Law Report"),
    (f"\n\nThe Westminster Courier\n\nOfficer jailed\n\n{BODY}", "Westminster Courier"),  # blank lines first
    (f"Officer jailed\n\nTALLINN, June 16 (Northsea Press) - {BODY}", "Northsea Press"),
    (f"Officer jailed\n\nTALLINN (Meridian Wire) - {BODY}", "Meridian Wire"),
])
def test_a_masthead_or_a_dateline_credit_names_an_outlet(text: str, outlet: str) -> None:
    found = [e for e in entities(text) if e.name == outlet]
    assert [e.type for e in found] == ["organization"]


@pytest.mark.parametrize(("text", "heading"), [
    (f"THREAT REPORT DIGEST\nIssue of 4 May\n\n{BODY}", "THREAT REPORT DIGEST"),
    (f"INQUIRY REPORT\n\n{BODY}", "INQUIRY REPORT"),
    (f"News\n\n{BODY}", "News"),
    (f"Officer jailed\n\nTALLINN (Wire) - {BODY}", "Wire"),
])
def test_a_heading_that_names_a_kind_of_page_is_no_outlet(text: str, heading: str) -> None:
    assert holder(text, heading) is None


def test_a_known_agency_in_a_dateline_keeps_its_gazetteer_entry() -> None:
    reuters = holder(f"TALLINN, June 16 (Reuters) - {BODY}", "Reuters")
    assert reuters is not None and reuters.type == "organization" and reuters.gazetteer_id
