"""End-to-end fixtures: the workbench served by uvicorn (in a thread, on a free 127.0.0.1 port) over a copy
of the example store plus some hostile documents, and Debian's Chromium driven by Playwright.

No browser is ever downloaded: Playwright launches /usr/bin/chromium (`apt-get install chromium`; .ci/run
does). Without it, or without npm's node_modules (`npm ci`), these tests skip and say why.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import ANALYST, CHROMIUM, CHROMIUM_ARGS, REPO, VIEWER, Tab, open_tab, serve_store

# Hostile input: if any of it ran, window.__pwned would be set (and alert() would open a dialog).
PAYLOAD_SCRIPT = "<script>window.__pwned=1;alert('script')</script>"
PAYLOAD_IMG = "<img src=x onerror=\"window.__pwned=1;alert('img')\">"
PAYLOAD_LINK = "javascript:window.__pwned=1;alert('link')"
PAYLOAD_SVG = "<svg onload=\"window.__pwned=1\"></svg>"

# A renderer that dies under the test ("Target crashed", seen once in CI on an evaluate() of a few edges) is
# the browser's failure, not the page's: such a test runs again in a fresh tab, at most twice. Any other
# failure, an assertion or a timeout, is reported on the first run.
BROWSER_CRASHES = [r"Target crashed", r"Target page, context or browser has been closed"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.flaky(reruns=2, only_rerun=BROWSER_CRASHES))


def hostile_texts() -> list[dict[str, str]]:
    """Records for the full pipeline: payloads in the text, the title and the URL."""
    return [
        {"id": "hostile-pipeline",
         "title": f"Zorbanian ministry {PAYLOAD_SCRIPT} report",
         "url": PAYLOAD_LINK,
         "text": (f"The Zorbanian Ministry of State Security funded the Harbour Friendship Association "
                  f"{PAYLOAD_IMG}. Canadian police alleged that the Harbour Friendship Association targeted "
                  f"dissidents in Toronto {PAYLOAD_SCRIPT}. See {PAYLOAD_LINK} and "
                  f"<a href=\"{PAYLOAD_LINK}\">this link</a> {PAYLOAD_SVG}.")},
    ]


def hostile_extraction() -> Any:
    """A ready-made extraction whose entity names, attribution, title, URL and publisher are payloads."""
    from frontwatch.model import Claim, Document, Entity, Evidence, Extraction, Mention

    a_name = f"Zorb {PAYLOAD_IMG} Bureau"
    b_name = f"Quill {PAYLOAD_SCRIPT} Society"
    sentence = f"{a_name} funds {b_name}, said {PAYLOAD_SVG} observers."
    text = f"{sentence} Visit {PAYLOAD_LINK} for more."
    a_at, b_at = text.index(a_name), text.index(b_name)
    doc = Document(id="hostile-extraction", text=text, title=f"{PAYLOAD_IMG} title", url=PAYLOAD_LINK,
                   date="2024-03-01", source="hostile.jsonl", publisher=f"{PAYLOAD_SCRIPT} Press")
    entities = [
        Entity(name=a_name, type="state_body", mentions=[Mention(a_at, a_at + len(a_name), a_name)]),
        Entity(name=b_name, type="organization", mentions=[Mention(b_at, b_at + len(b_name), b_name)]),
    ]
    claims = [Claim(subject=a_name, predicate="funds", object=b_name, stance="alleged",
                    attributed_to=f"{PAYLOAD_IMG} agency", tactic="covert_funding",
                    evidence=Evidence(sentence, 0, len(sentence)), date="2024-03-01")]
    return Extraction(document=doc, entities=entities, claims=claims)


@pytest.fixture(scope="session")
def assets_dir() -> Path:
    modules = REPO / "node_modules"
    if not (modules / "cytoscape" / "dist" / "cytoscape.min.js").is_file():
        pytest.skip("npm's node_modules is missing: run `npm ci` (make test does)")
    return modules


@dataclass
class E2EStore:
    url: str
    hostile_documents: list[int]
    hostile_entities: list[int]


@pytest.fixture(scope="session")
def e2e_store(example_store_url: str, tmp_path_factory: pytest.TempPathFactory) -> E2EStore:
    """A copy of the example store, with the hostile documents and two users (analyst, viewer)."""
    from sqlalchemy import select
    from sqlalchemy.engine import make_url

    from frontwatch.model import Document
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import ingest, store_extractions
    from frontwatch.store.schema import DocEntityRow, DocumentRow
    from frontwatch.web.security import add_user

    source = Path(str(make_url(example_store_url).database))
    target = tmp_path_factory.mktemp("e2e") / "e2e.db"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    url = f"sqlite:///{target}"
    store = Store(url)
    try:
        report = ingest(store, [Document(**r, source="hostile.jsonl") for r in hostile_texts()])
        assert not report.failed, report.failed
        report = store_extractions(store, [hostile_extraction()])
        assert not report.failed, report.failed
        for name, password, role in ((*ANALYST, "analyst"), (*VIEWER, "viewer")):
            store.retry(lambda s, n=name, p=password, r=role: add_user(s, n, p, r))
        with store.read() as session:
            keys = ["hostile-pipeline", "hostile-extraction"]
            docs = list(session.scalars(select(DocumentRow.id).where(DocumentRow.doc_key.in_(keys))
                                        .order_by(DocumentRow.id)))
            ents = sorted(set(session.scalars(select(DocEntityRow.entity_id).where(
                DocEntityRow.document_id.in_(docs)))))
    finally:
        store.close()
    assert len(docs) == 2 and ents
    return E2EStore(url, docs, ents)


@pytest.fixture(scope="session")
def live_server(e2e_store: E2EStore, assets_dir: Path) -> Iterator[str]:
    """The app on a free loopback port, served by uvicorn in a thread."""
    with serve_store(e2e_store.url, assets_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium; "
                    ".ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the Python package 'playwright' is missing")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _login_state(browser: Any, base_url: str, user: tuple[str, str]) -> dict[str, Any]:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", user[0])
    page.fill("#password", user[1])
    with page.expect_navigation():
        page.click("form.login button[type=submit]")
    assert not page.url.endswith("/login"), f"login as {user[0]} failed"
    state: dict[str, Any] = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="session")
def analyst_state(browser: Any, live_server: str) -> dict[str, Any]:
    return _login_state(browser, live_server, ANALYST)


@pytest.fixture(scope="session")
def viewer_state(browser: Any, live_server: str) -> dict[str, Any]:
    return _login_state(browser, live_server, VIEWER)


@pytest.fixture
def tab(browser: Any, live_server: str, analyst_state: dict[str, Any]) -> Iterator[Tab]:
    """A fresh browser tab logged in as the analyst."""
    context, t = open_tab(browser, live_server, analyst_state)
    try:
        yield t
    finally:
        context.close()


@pytest.fixture
def api(tab: Tab) -> Any:
    """GET JSON from the API with the analyst's session."""
    def get(path: str, **params: Any) -> Any:
        response = tab.page.request.get(path, params=params or None)
        assert response.ok, f"{path}: {response.status} {response.text()[:200]}"
        return response.json()
    return get
