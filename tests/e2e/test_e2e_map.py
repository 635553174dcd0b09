"""The map in Chromium on a store holding the seed corpus (issue 14 item 4): markers, no console errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import open_tab, serve_store
from spacy.language import Language

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory, pipeline: Language, assets_dir: Path
                 ) -> Iterator[str]:
    """The workbench on the seeds (no users: a loopback browser reads without logging in)."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed corpus is not here ({SEEDS})")
    from frontwatch.sources import iter_documents
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import ingest

    url = f"sqlite:///{tmp_path_factory.mktemp('seeds-map') / 'seeds.db'}"
    store = Store(url)
    report = ingest(store, iter_documents([SEEDS]))
    store.close()
    assert not report.failed and report.new
    with serve_store(url, assets_dir) as base:
        yield base


def test_the_map_of_the_seeds_renders_markers(browser: Any, seeds_server: str) -> None:
    context, tab = open_tab(browser, seeds_server, None)
    try:
        places = tab.page.request.get("/api/places")
        assert places.ok, places.text()[:300]
        page = tab.goto("/map", "body[data-map-ready='1']")
        page.wait_for_selector(".cluster, a.marker", state="attached")
        assert page.locator("path.country").count() > 100
        assert page.locator(".cluster").count() + page.locator("a.marker").count() > 0
        tab.screenshot("map-seeds")
        assert tab.problems() == []
        assert tab.dialogs == []
    finally:
        context.close()
