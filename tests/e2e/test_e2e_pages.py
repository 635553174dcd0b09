"""Every page in a real browser: loads without console errors or CSP violations, and the graph explorer
works (expand on click, edge evidence, shortest path). Screenshots go to test-output/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import ANALYST, Tab, open_tab


def entity_named(api: Any, name: str) -> dict[str, Any]:
    found = [e for e in api("/api/search", q=name, limit=20)["entities"] if e["name"] == name]
    assert found, f"no entity named {name}"
    return found[0]


@pytest.fixture
def ids(api: Any) -> dict[str, int]:
    canada = entity_named(api, "Canada")["id"]
    profile = api(f"/api/entities/{canada}")
    claim = (profile["claims_in"] + profile["claims_out"])[0]["id"]
    document = api(f"/api/claims/{claim}")["document_ids"][0]
    return {"entity": canada, "claim": claim, "document": document}


PAGES = [
    ("search", "/?q=police", "#entities li a"),
    ("entity", "/entities/{entity}", ".claims-section .claim"),
    ("graph", "/graph?entity={entity}", "body[data-graph-ready='1']"),
    ("document", "/documents/{document}#claim-{claim}", "#doc-text mark.evidence.current"),
    ("review", "/review", "#queue li.queue-item"),
    ("map", "/map", "body[data-map-ready='1']"),
    ("timeline", "/timeline", "body[data-timeline-ready='1'] .bar"),
    ("screen", "/screen", "#screen-form"),
]


@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_page_loads_without_errors(tab: Tab, ids: dict[str, int], name: str, path: str, ready: str) -> None:
    page = tab.goto(path.format(**ids), ready)
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.main a[href='/graph']").is_visible()  # the nav bar is on every page
    assert page.get_attribute("meta[name='csrf-token']", "content"), "the page carries the CSRF token"
    tab.screenshot(name)
    assert tab.problems() == []
    assert tab.dialogs == []


def test_login_page(browser: Any, live_server: str) -> None:
    context, tab = open_tab(browser, live_server, None)
    try:
        page = tab.goto("/review")  # a logged-out visitor is sent to the login form, and back after it
        assert "/login" in page.url
        page.wait_for_selector("form.login #username")
        tab.screenshot("login")
        page.fill("#username", "analyst")
        page.fill("#password", "wrong password!")
        page.click("form.login button[type=submit]")
        page.wait_for_selector("p.message.error")
        assert "wrong" in page.inner_text("p.message.error")
        page.fill("#username", ANALYST[0])
        page.fill("#password", ANALYST[1])
        with page.expect_navigation():
            page.click("form.login button[type=submit]")
        assert page.url.endswith("/review")
        page.wait_for_selector("#queue li.queue-item button.accept:visible")
        assert all("401" in e for e in tab.problems())  # at most the refused login itself
    finally:
        context.close()


def _node_position(page: Any, node_id: str) -> tuple[float, float]:
    x, y = page.evaluate("""(id) => {
        const cy = window.fwGraph.cy, n = cy.getElementById(id), p = n.renderedPosition();
        const box = cy.container().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", node_id)
    return x, y


def test_graph_expands_on_node_click(tab: Tab, ids: dict[str, int], api: Any) -> None:
    page = tab.goto(f"/graph?entity={ids['entity']}", "body[data-graph-ready='1']")
    before = page.evaluate("window.fwGraph.cy.nodes().length")
    shown = set(page.evaluate("window.fwGraph.cy.nodes().map((n) => n.id())"))
    candidates = page.evaluate(
        "window.fwGraph.cy.nodes().filter((n) => !n.data('expanded')).map((n) => n.id())")
    target = next(c for c in candidates
                  if {str(n["id"]) for n in api(f"/api/graph/neighbors/{c}")["nodes"]} - shown)
    page.evaluate("(id) => window.fwGraph.cy.center(window.fwGraph.cy.getElementById(id))", target)
    page.mouse.click(*_node_position(page, target))
    page.wait_for_function("(n) => window.fwGraph.cy.nodes().length > n", arg=before)
    assert page.evaluate("(id) => window.fwGraph.cy.getElementById(id).data('expanded')", target)
    page.wait_for_selector("#details h2")  # the clicked node's panel
    page.wait_for_timeout(500)  # the layout and the fit settle
    tab.screenshot("graph-expanded")
    assert tab.problems() == []


def test_graph_edge_shows_evidence(tab: Tab, ids: dict[str, int]) -> None:
    page = tab.goto(f"/graph?entity={ids['entity']}", "body[data-graph-ready='1']")
    edge = page.evaluate("window.fwGraph.cy.edges()[0].id()")
    page.evaluate("(id) => window.fwGraph.cy.getElementById(id).emit('tap')", edge)
    page.wait_for_selector("#details article.claim .badge.stance")
    href = page.get_attribute("#details a.doc-link[href]", "href")
    assert href and href.startswith("/documents/") and "#claim-" in href
    tab.screenshot("graph-edge")
    assert tab.problems() == []


def test_graph_panels_show_and_take_notes(tab: Tab, ids: dict[str, int], api: Any) -> None:
    page = tab.goto(f"/graph?entity={ids['entity']}", "body[data-graph-ready='1']")
    edge, claim = page.evaluate("(e => [e.id(), e.data('claim')])(window.fwGraph.cy.edges()[0])")
    page.evaluate("(id) => window.fwGraph.cy.getElementById(id).emit('tap')", edge)
    page.wait_for_selector(f"#details #notes-claim-{claim}")
    page.fill(f"#note-text-claim-{claim}", "Seen from the graph.")
    page.click("#details .note-form button[type='submit']")
    page.wait_for_selector(f"#notes-claim-{claim} li[data-note-id]")
    assert api(f"/api/notes/claim/{claim}")[-1]["text"] == "Seen from the graph."
    node = page.evaluate("window.fwGraph.cy.nodes()[0].id()")
    page.evaluate("(id) => window.fwGraph.cy.getElementById(id).emit('tap')", node)
    page.wait_for_selector(f"#details #notes-entity-{node}")
    assert page.locator(f"#notes-claim-{claim}").count() == 0  # the panel is the node's now
    assert tab.problems() == []


def test_graph_shortest_path(tab: Tab, ids: dict[str, int], api: Any) -> None:
    hood = api(f"/api/graph/neighbors/{ids['entity']}", depth=2)
    far = next(n for n in hood["nodes"] if n["distance"] == 2)
    centre = hood["center"]
    page = tab.goto(f"/graph?entity={ids['entity']}", "body[data-graph-ready='1']")
    for picker, entity in (("path-from", centre), ("path-to", far)):
        page.fill(f"#{picker}-input", entity["name"])
        page.click(f"#{picker}-list button[data-entity-id='{entity['id']}']")
    page.click("#find-path")
    page.wait_for_selector("#path-status ol.path-steps li")
    assert page.evaluate("window.fwGraph.cy.edges('.path').length") >= 2
    assert page.evaluate(f"window.fwGraph.cy.getElementById('{far['id']}').hasClass('path')")
    tab.screenshot("graph-path")
    assert tab.problems() == []


def test_graph_filters_reload(tab: Tab, ids: dict[str, int]) -> None:
    page = tab.goto(f"/graph?entity={ids['entity']}", "body[data-graph-ready='1']")
    before = page.evaluate("window.fwGraph.cy.edges().length")
    page.click("#filters-panel summary")
    page.select_option("#g-stance", "denied")
    page.wait_for_function("(n) => window.fwGraph.cy.edges().length < n", arg=before)
    stances = page.evaluate("window.fwGraph.cy.edges().map((e) => e.data('stance'))")
    assert set(stances) <= {"denied"}
    href = page.get_attribute("a[data-format='stix']", "href")
    assert href and "stance=denied" in href
    assert tab.problems() == []


def test_viewer_sees_no_write_buttons(browser: Any, live_server: str, viewer_state: dict[str, Any]) -> None:
    context, tab = open_tab(browser, live_server, viewer_state)
    try:
        page = tab.goto("/review", "#queue li.queue-item")
        page.wait_for_load_state("networkidle")
        assert page.locator("button.accept").count() > 0
        assert page.locator("button.accept:visible").count() == 0
        assert not page.locator("#merge").is_visible()
        assert "Read-only" in page.inner_text("#review-mode")
        assert tab.problems() == []
    finally:
        context.close()


def test_map_clusters_zoom_and_markers_open_entities(tab: Tab) -> None:
    page = tab.goto("/map", "body[data-map-ready='1'] .cluster")
    assert page.locator("path.country").count() > 100  # Natural Earth outlines, drawn offline
    shown = ("() => [...document.querySelectorAll('.cluster, a.marker')]"
             ".map((e) => e.getAttribute('aria-label'))")
    groups = page.evaluate(shown)
    page.locator(".cluster").first.click()
    assert "scale(2.5)" in (page.get_attribute("g.stage", "transform") or "")
    # the groups change (their number may not: 5 groups and 4 markers can become 5 others and 4 others)
    page.wait_for_function(f"(before) => JSON.stringify(({shown})()) !== JSON.stringify(before)", arg=groups)
    marker = page.locator("a.marker").first
    href = marker.get_attribute("href")
    assert href and href.startswith("/entities/")
    with page.expect_navigation():
        marker.click()
    assert page.url.endswith(href)
    assert tab.problems() == []


def test_screen_a_conversation(tab: Tab, api: Any) -> None:
    documents = api("/api/health")["documents"]
    page = tab.goto("/screen", "#screen-form")
    page.fill("#screen-text", "Li: Uncle said the police visited your parents.\n"
                              "Li: Come home and talk to the consulate, or your family will have problems.\n"
                              "Me: who are you? <img src=x onerror=\"window.__pwned=1\">\n"
                              "Li: Send me the names of the people at the protest.\n")
    page.select_option("#screen-country", "CA")
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector("#screen-result .level")
    assert page.locator("#screen-result .indicators li").count() >= 1
    assert "Where to report" in page.inner_text("#screen-result")
    tab.screenshot("screen-result")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert api("/api/health")["documents"] == documents  # nothing stored
    assert tab.problems() == []
