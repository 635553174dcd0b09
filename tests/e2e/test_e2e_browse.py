"""Browse pages, the home page and investigations in Chromium (issue 14 items 5 and 6): choose a facet,
download what is listed, save an investigation from the graph page and reopen it with its layout, and
download exactly the subgraph on screen. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import DOWNLOAD_MS, Tab


def test_home_shows_counts_recent_documents_and_backlog(tab: Tab, api: Any) -> None:
    page = tab.goto("/", "#home[data-ready='1']")
    home = api("/api/home")
    assert page.text_content("#pending-count") == str(home["pending_claims"])
    assert page.text_content("[data-count='documents']") == str(home["documents"])
    assert page.locator("#home-recent li").count() == len(home["recent_documents"]) > 0
    assert page.locator("#h-backlog ~ p a[href='/review']").count() == 1
    assert page.locator("#search-form").is_visible()  # the search stays on the home page
    tab.screenshot("home")
    assert tab.problems() == []


def test_browse_entities_by_a_facet(tab: Tab, api: Any) -> None:
    page = tab.goto("/entities", "#browse[data-ready='1']")
    counts = api("/api/browse/entities")["facets"]["type"]
    button = page.locator("button.facet-value[data-facet='type'][data-value='country']")
    assert button.text_content().strip().endswith(str(counts["country"]))
    page.evaluate("document.querySelector('#browse').removeAttribute('data-ready')")
    button.click()
    page.wait_for_selector("#browse[data-ready='1']")
    assert "type=country" in page.url
    assert page.get_attribute("button.facet-value[data-value='country']", "aria-pressed") == "true"
    rows = page.locator("#browse-table tbody tr")
    assert rows.count() == min(counts["country"], 50)
    assert set(page.locator("#browse-table tbody tr .badge.etype").all_text_contents()) == {"country"}
    tab.screenshot("browse-entities-country")
    with page.expect_download(timeout=DOWNLOAD_MS) as info:  # the download is exactly the rows on the page
        page.click("a[data-export='page-csv']")
    listed = [int(i) for i in page.locator("#browse-table tbody tr").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-id'))")]
    table = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
    assert [int(r["id"]) for r in table] == listed and {r["type"] for r in table} == {"country"}
    assert tab.problems() == []


@pytest.mark.parametrize("kind", ["documents", "claims"])
def test_browse_sorts_and_pages(tab: Tab, api: Any, kind: str) -> None:
    page = tab.goto(f"/{kind}", "#browse[data-ready='1']")
    total = api(f"/api/browse/{kind}")["total"]
    assert page.text_content("#browse-status").startswith(f"{total} {kind}")
    page.evaluate("document.querySelector('#browse').removeAttribute('data-ready')")
    page.select_option("#b-sort", "-id" if kind == "claims" else "title")
    page.wait_for_selector("#browse[data-ready='1']")
    ids = page.locator("#browse-table tbody tr").evaluate_all(
        "rows => rows.map(r => +r.getAttribute('data-id'))")
    expected = api(f"/api/browse/{kind}", sort="-id" if kind == "claims" else "title")["items"]
    assert ids == [i["id"] for i in expected]
    if kind == "claims":  # every claim row shows its stance
        assert page.locator("#browse-table tbody tr .badge.stance").count() == len(ids)
    tab.screenshot(f"browse-{kind}")
    assert tab.problems() == []


def _positions(page: Any) -> dict[str, tuple[float, float]]:
    return {k: (round(v["x"], 1), round(v["y"], 1)) for k, v in page.evaluate(
        "Object.fromEntries(window.fwGraph.cy.nodes().map(n => [n.id(), n.position()]))").items()}


def test_save_and_reopen_an_investigation_then_export_it(tab: Tab, api: Any) -> None:
    canada = next(e for e in api("/api/search", q="Canada", limit=20)["entities"] if e["name"] == "Canada")
    page = tab.goto(f"/graph?entity={canada['id']}", "body[data-graph-ready='1']")
    page.wait_for_selector("#inv-list li")
    # move a node, as an analyst arranging the picture would
    page.evaluate("window.fwGraph.cy.nodes()[0].position({x: 12.5, y: -40})")
    saved_positions = _positions(page)
    claims = sorted(page.evaluate("window.fwGraph.cy.edges().map(e => e.data('claim'))"))
    assert claims
    page.fill("#inv-name", "Canada picture")
    page.fill("#inv-notes", "check the consulate claims")
    page.click("#inv-save")
    page.wait_for_selector("body[data-investigation-saved]")
    inv_id = page.get_attribute("body", "data-investigation-saved")
    saved = api(f"/api/investigations/{inv_id}")
    assert saved["name"] == "Canada picture" and sorted(saved["claim_ids"]) == claims
    tab.screenshot("investigation-saved")

    page = tab.goto(f"/graph?investigation={inv_id}", f"body[data-investigation-ready='{inv_id}']")
    assert _positions(page) == saved_positions  # the same nodes, where they were
    assert sorted(page.evaluate("window.fwGraph.cy.edges().map(e => e.data('claim'))")) == claims
    assert page.input_value("#inv-notes") == "check the consulate claims"
    tab.screenshot("investigation-reopened")
    page.locator("#investigation-panel").scroll_into_view_if_needed()
    assert "Canada picture" in page.text_content("#inv-list")
    tab.screenshot("investigation-panel")

    # drop one claim from the picture: the download is exactly what is on screen
    gone = claims[0]
    page.evaluate(f"window.fwGraph.cy.getElementById('c{gone}').remove()")
    with page.expect_download(timeout=DOWNLOAD_MS) as info:
        page.click("button[data-subgraph-format='gexf']")
    root = ET.fromstring(Path(info.value.path()).read_bytes())
    edges = sorted(int(e.get("id", "0")) for e in root.iter() if e.tag.endswith("}edge"))
    assert edges == claims[1:]
    nodes = {e.get("id") for e in root.iter() if e.tag.endswith("}node")}
    assert nodes == set(saved_positions)
    with page.expect_download(timeout=DOWNLOAD_MS) as info:
        page.click("button[data-subgraph-format='csv']")
    with zipfile.ZipFile(info.value.path()) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("edges.csv").decode())))
    assert sorted(int(r["id"]) for r in rows) == claims[1:] and all(r["stance"] for r in rows)
    tab.screenshot("investigation-exported")
    assert tab.problems() == []


@pytest.mark.parametrize("path", ["/documents?q=Zorbanian", "/entities?q=Zorb", "/claims?sort=-id", "/"])
def test_hostile_names_stay_text_on_browse_pages(tab: Tab, path: str) -> None:
    page = tab.goto(path, "#browse[data-ready='1'], #home[data-ready='1']")
    text = page.text_content("main") or ""
    assert "<script>" in text or "<img" in text  # the payloads are shown, as text
    assert page.evaluate("window.__pwned") is None and tab.dialogs == []
    assert tab.problems() == []
