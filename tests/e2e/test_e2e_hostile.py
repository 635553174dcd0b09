"""Hostile documents: <script> tags, event-handler attributes and javascript: links in the text, the title,
the URL, the publisher, entity names and attribution. In a real browser, on every page that shows them,
nothing may run: window.__pwned stays undefined, no dialog opens, no javascript: link exists.

Run twice: with the server's Content-Security-Policy, and with the CSP bypassed, so the pages' own DOM
handling (textContent, setAttribute, http(s)-only links) is tested on its own, not just the CSP.
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_helpers import Tab, open_tab

CHECK = """() => ({
  pwned: typeof window.__pwned,
  javascriptLinks: [...document.querySelectorAll('a[href], area[href]')]
    .filter((a) => !/^https?:$/.test(new URL(a.getAttribute('href'), location.href).protocol)).length,
  handlers: [...document.querySelectorAll('*')]
    .filter((e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
  images: document.querySelectorAll('img').length,
  scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
})"""


def _hostile_pages(e2e_store: Any) -> list[tuple[str, str]]:
    pages = [(f"/documents/{d}", "#claim-list li") for d in e2e_store.hostile_documents]
    pages += [(f"/entities/{e}", ".claims-section") for e in e2e_store.hostile_entities]
    pages += [("/?q=Zorb", "#entities li"), ("/?q=Quill", "#claims li"), ("/?q=Zorbanian", "#documents li"),
              (f"/graph?entity={e2e_store.hostile_entities[0]}", "body[data-graph-ready]"),
              ("/timeline", "body[data-timeline-ready]")]
    return pages


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "without-csp"])
def test_hostile_documents_do_not_execute(browser: Any, live_server: str, analyst_state: dict[str, Any],
                                          e2e_store: Any, bypass_csp: bool) -> None:
    context, tab = open_tab(browser, live_server, analyst_state, bypass_csp=bypass_csp)
    try:
        for path, ready in _hostile_pages(e2e_store):
            page = tab.goto(path, ready)
            page.wait_for_load_state("networkidle")
            result = page.evaluate(CHECK)
            assert result == {"pwned": "undefined", "javascriptLinks": 0, "handlers": 0, "images": 0,
                              "scripts": 0}, path
            assert tab.dialogs == [], path
        # the payloads are shown as text, not dropped
        page = tab.goto(f"/documents/{e2e_store.hostile_documents[-1]}", "#claim-list li")
        text = page.inner_text("main")
        assert "<img src=x onerror=" in text and "javascript:window.__pwned" in text
        review = tab.goto("/review", "#queue li.queue-item")
        review.select_option("#queue-size", "100")
        review.wait_for_function("() => document.querySelector('#queue').textContent.includes('Quill')")
        assert review.evaluate(CHECK)["pwned"] == "undefined"
        assert tab.dialogs == []
        assert tab.problems() == []
    finally:
        context.close()


def test_hostile_source_url_is_not_a_link(tab: Tab, e2e_store: Any) -> None:
    page = tab.goto(f"/documents/{e2e_store.hostile_documents[0]}", "#claim-list li")
    assert page.locator("#doc-head a").count() == 0
    assert "javascript:" in page.inner_text("#doc-head")  # shown as plain text
