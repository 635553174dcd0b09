"""An analyst selects a sentence in the document view, adds a claim the extractor missed, and finds it in
the graph explorer (issue 14 item 1); then edits it from the document page and writes a note."""

from __future__ import annotations

from typing import Any

from e2e_helpers import Tab

SELECT_EVIDENCE = """(id) => {
  const marks = [...document.querySelectorAll('#doc-text mark.evidence')]
    .filter((m) => m.getAttribute('data-claims').split(' ').includes(String(id)));
  const range = document.createRange();
  range.setStartBefore(marks[0]);
  range.setEndAfter(marks[marks.length - 1]);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  const text = sel.toString();
  document.querySelector('#doc-text').dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  return text;
}"""


def test_select_sentence_add_claim_and_see_it_in_the_graph(tab: Tab, api: Any) -> None:
    doc = api("/api/documents/1")
    ev = doc["evidence"][0]
    between = {c["predicate"] for c in api("/api/claims", about=str(ev["subject"]), limit=500)["items"]
               if {c["subject"], c["object"]} == {ev["subject"], ev["object"]}}
    predicate = next(p for p in ("recruits", "supports", "funds", "meets", "targets") if p not in between)
    page = tab.goto("/documents/1", "#claim-form")
    page.wait_for_selector("#doc-text mark.evidence")
    selected = page.evaluate(SELECT_EVIDENCE, ev["claim_id"])
    assert selected.strip()
    assert page.input_value("#cf-sentence") == " ".join(selected.split())
    page.fill("#cf-subject", ev["subject"])
    page.fill("#cf-object", ev["object"])
    page.select_option("#cf-predicate", predicate)
    page.select_option("#cf-stance", "alleged")
    page.fill("#cf-attributed_to", "an e2e analyst's source")
    page.select_option("#cf-tactic", "espionage")
    page.fill("#cf-date", "2022-06")
    page.click("#cf-submit")
    page.wait_for_function("() => document.querySelector('#cf-status').textContent.includes('Added claim #')")
    log = api("/api/audit", limit=1)[0]
    assert (log["action"], log["actor"], log["after"]["predicate"]) == ("add_claim", "analyst", predicate)
    claim_id = int(log["target"].split()[1])
    claim = api(f"/api/claims/{claim_id}")
    assert (claim["subject"], claim["object"], claim["tactic"]) == (ev["subject"], ev["object"], "espionage")
    assert claim["alleged_by"] == ["an e2e analyst's source"]
    page.wait_for_selector(f"#list-claim-{claim_id}")  # the document's claim list shows it
    tab.screenshot("document-claim-added")

    page.click("#cf-graph-link")
    page.wait_for_selector("body[data-graph-ready='1']", state="attached")
    assert page.evaluate("(id) => window.fwGraph.cy.getElementById(id).length", f"c{claim_id}") == 1
    page.evaluate("(id) => window.fwGraph.cy.getElementById(id).emit('tap')", f"c{claim_id}")
    page.wait_for_selector("#details article.claim .badge.stance")
    assert "an e2e analyst's source" in page.inner_text("#details")
    tab.screenshot("graph-claim-added")

    page = tab.goto("/documents/1", "#claim-form")
    page.click(f"#list-claim-{claim_id} button.edit-claim")
    page.select_option("#cf-stance", "denied")
    page.click("#cf-submit")
    page.wait_for_function("() => document.querySelector('#cf-status').textContent.includes('Edited claim')")
    assert api(f"/api/claims/{claim_id}")["denied_by"] == ["an e2e analyst's source"]
    page.fill("#note-text-document-1", "Check this reading with the editor.")
    page.click("#doc-notes button[type='submit']")
    page.wait_for_selector("#notes-document-1 li[data-note-id]")
    assert api("/api/notes/document/1")[-1]["text"] == "Check this reading with the editor."
    assert tab.problems() == []


def test_claim_notes_and_audit_changes_on_the_pages(tab: Tab, api: Any) -> None:
    doc = api("/api/documents/2")
    claim_id = doc["evidence"][0]["claim_id"]
    page = tab.goto("/documents/2", f"#list-claim-{claim_id} details.claim-notes")
    page.click(f"#list-claim-{claim_id} details.claim-notes summary")
    page.fill(f"#note-text-claim-{claim_id}", "Two sources, one of them anonymous.")
    page.click(f"#list-claim-{claim_id} .note-form button[type='submit']")
    page.wait_for_selector(f"#notes-claim-{claim_id} li[data-note-id]")
    assert [n["text"] for n in api(f"/api/notes/claim/{claim_id}")] == ["Two sources, one of them anonymous."]
    page = tab.goto("/review", "#audit tr[data-action='note']")
    row = page.locator("#audit tr[data-action='note']").first
    assert "Two sources, one of them anonymous." in row.inner_text()
    row.locator("button.undo").click()
    page.wait_for_function("() => document.querySelector('#audit-status').textContent.includes('Undone')")
    assert api(f"/api/notes/claim/{claim_id}") == []
    tab.screenshot("review-audit-note-undone")
    assert tab.problems() == []
