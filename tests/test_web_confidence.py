"""The workbench API carries each claim's confidence: claim lists and details with their sources,
entity profiles, document evidence, graph edges and path hops. The store is built by hand (no spaCy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from web_helpers import client

from frontwatch.model import Claim, Document, Entity, Evidence, Extraction, Mention
from frontwatch.store.db import Store
from frontwatch.store.ingest import store_extractions

TEXT = "The Ministry of State Security funded the Harbour Friendship Society."


def extraction(doc_id: str, conf: float) -> Extraction:
    def entity(name: str, typ: str) -> Entity:
        start = TEXT.index(name)
        return Entity(name, typ, mentions=[Mention(start, start + len(name), name)])

    claim = Claim("Ministry of State Security", "funds", "Harbour Friendship Society", stance="asserted",
                  evidence=Evidence(TEXT, 0, len(TEXT)), confidence=conf)
    return Extraction(Document(id=doc_id, text=TEXT + f" ({doc_id})", url=f"https://example.org/{doc_id}"),
                      [entity("Ministry of State Security", "state_body"),
                       entity("Harbour Friendship Society", "organization")], [claim])


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'fw.db'}"
    store = Store(url)
    store_extractions(store, [extraction("a", 0.35), extraction("b", 0.7)])
    store.close()
    return url


def ok(url: str, path: str, **params: Any) -> Any:
    r = client(url).get(path, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


def test_claims_and_their_sources_carry_confidence(url: str) -> None:
    (claim,) = ok(url, "/api/claims")["items"]
    assert claim["confidence"] == pytest.approx(0.7)
    assert sorted(s["confidence"] for s in claim["sources"]) == pytest.approx([0.35, 0.7])
    assert ok(url, f"/api/claims/{claim['id']}")["confidence"] == pytest.approx(0.7)
    (entity,) = ok(url, "/api/entities", q="Ministry of State Security")["items"]
    profile = ok(url, f"/api/entities/{entity['id']}")
    assert [c["confidence"] for c in profile["claims_out"]] == [pytest.approx(0.7)]


def test_document_evidence_graph_edges_and_hops_carry_confidence(url: str) -> None:
    (claim,) = ok(url, "/api/claims")["items"]
    by_doc = {s["document"]: s["document_id"] for s in claim["sources"]}
    (ev,) = ok(url, f"/api/documents/{by_doc['a']}")["evidence"]
    assert ev["confidence"] == pytest.approx(0.35)
    (entity,) = ok(url, "/api/entities", q="Ministry of State Security")["items"]
    hood = ok(url, f"/api/graph/neighbors/{entity['id']}")
    assert [e["confidence"] for e in hood["edges"]] == [pytest.approx(0.7)]
    assert [e["confidence"] for e in ok(url, "/api/graph/network")["edges"]] == [pytest.approx(0.7)]
    other = next(n["id"] for n in hood["nodes"] if n["id"] != entity["id"])
    paths = ok(url, "/api/graph/path", source=entity["id"], target=other)["paths"]
    (hop,) = paths[0]["hops"]
    assert hop["confidence"] == pytest.approx(0.7)
    assert sorted(e["confidence"] for e in hop["evidence"]) == pytest.approx([0.35, 0.7])


def test_the_pages_show_it() -> None:
    static = Path(__file__).resolve().parents[1] / "frontwatch" / "web" / "static"
    ui = (static / "ui.js").read_text(encoding="utf-8")
    assert "export function confidenceText" in ui and "confidenceText(claim.confidence)" in ui
    assert "confidenceText(src.confidence)" in ui
    assert "confidenceText(e.confidence)" in (static / "document.js").read_text(encoding="utf-8")
    assert "confidenceBadge(h.confidence)" in (static / "graph.js").read_text(encoding="utf-8")
