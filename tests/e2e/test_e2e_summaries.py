"""Honest summaries in Chromium (issue 14 items 2, 3): a contested claim shows its badge, every stance
its sources take and who, its event date and where that date comes from; the timeline stacks it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_helpers import open_tab, serve_store

SENTENCES = [  # (document, sentence, stance, attributed to, event date, published)
    ("a", "CSIS alleges that China interfered in Canada in June 2022.", "alleged", "CSIS", "June 2022",
     "2023-05-01"),
    ("b", "RCMP said China interfered in Canada.", "alleged", "RCMP", None, None),
    ("c", "China denied that it interfered in Canada.", "denied", "China", None, None),
]
TYPES = {"CSIS": "state_body", "RCMP": "state_body", "China": "country", "Canada": "country"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, assets_dir: Path) -> Iterator[str]:
    from frontwatch.model import Claim, Document, Entity, Evidence, Extraction, Mention
    from frontwatch.store.db import Store
    from frontwatch.store.ingest import store_extractions

    extractions = []
    for key, text, stance, by, when, published in SENTENCES:
        ents = [Entity(name=n, type=t, mentions=[Mention(text.index(n), text.index(n) + len(n), n)])
                for n, t in TYPES.items() if n in text]
        extractions.append(Extraction(
            document=Document(id=key, text=text, date=published, source=f"{key}.txt"), entities=ents,
            claims=[Claim(subject="China", predicate="interferes_in", object="Canada", stance=stance,
                          attributed_to=by, tactic=None, evidence=Evidence(text, 0, len(text)), date=when)]))
    url = f"sqlite:///{tmp_path_factory.mktemp('summaries-e2e') / 's.db'}"
    store = Store(url)
    assert not store_extractions(store, extractions).failed
    store.close()
    with serve_store(url, assets_dir) as base:
        yield base


def test_a_contested_claim_says_who_disagrees_and_when(browser: Any, server: str) -> None:
    context, tab = open_tab(browser, server, None)
    try:
        china = tab.page.request.get("/api/entities", params={"q": "China"}).json()["items"][0]["id"]
        page = tab.goto(f"/entities/{china}", "#entity .claim")
        claim = page.locator("#out-claim-1")
        assert claim.locator(".badge.stance-contested").inner_text() == "contested"
        meta = claim.locator(".claim-meta").inner_text()
        assert "alleged by 2 (CSIS, RCMP)" in meta and "denied by 1 (China)" in meta
        assert "dated 2022-06 (event date)" in meta  # the whole of June 2022
        accuses = page.locator("section.claims-section").filter(has_text="as accuser")
        assert accuses.locator(".badge.stance-contested").count() == 1  # China's own denial
        assert page.locator(".document-list li").count() == 3
        tab.screenshot("entity-contested")
        timeline = tab.goto("/timeline", ".bar")
        assert timeline.locator(".bar .seg.stance-contested").count() == 1
        # drawn in June 2022, its event month, not May 2023 when its first document was published
        months = timeline.locator(".bar").evaluate_all("(bars) => bars.map((b) => b.dataset.month)")
        assert months == ["2022-06"]
        tab.screenshot("timeline-contested")
        assert tab.problems() == [] and tab.dialogs == []
    finally:
        context.close()
