"""Extraction quality on the hand-annotated seed documents, scored by the shared evaluation script.

The seeds and their gold records live beside the repository (../shared); without them the test is
skipped.  Thresholds are floors, not targets: raise them as the extractor improves.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frontwatch.extract import extract_documents
from frontwatch.sources import iter_documents

if TYPE_CHECKING:
    from spacy.language import Language

SHARED = Path(__file__).resolve().parents[1].parent / "shared"  # beside the repository
EVAL = SHARED / "eval"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = EVAL / "gold" / "seeds.jsonl"
SCORER = EVAL / "score.py"

MIN_ENTITY_F1 = 0.90
MIN_CLAIM_F1 = 0.55


@pytest.mark.slow
def test_seed_quality(pipeline: Language, tmp_path: Path) -> None:
    if not EVAL.is_dir():
        pytest.skip("../shared/eval is absent: seed quality needs the shared evaluation set")
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is absent: seed quality needs the seed documents")

    documents = []
    for item in iter_documents([SEEDS]):
        assert not isinstance(item, Exception), f"seed unreadable: {item}"
        documents.append(item)
    assert documents, f"no documents in {SEEDS}"
    pred = tmp_path / "seeds.pred.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for result in extract_documents(documents):  # reuses the session's pipeline (cached)
            fh.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")

    scored = subprocess.run([sys.executable, str(SCORER), str(GOLD), str(pred), "--json"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert scored.returncode == 0, f"score.py failed:\n{scored.stderr}"
    summary = json.loads(scored.stdout)
    report = json.dumps(summary, indent=2)
    # A seed whose id matches no gold record would silently score as empty; say so instead.
    gold_ids = {json.loads(line)["doc_id"] for line in GOLD.read_text(encoding="utf-8").splitlines()
                if line.strip()}
    seed_ids = {d.id for d in documents}
    assert gold_ids <= seed_ids, f"gold ids without a seed: {sorted(gold_ids - seed_ids)}"
    assert summary["entity_f1"] >= MIN_ENTITY_F1 and summary["claim_f1"] >= MIN_CLAIM_F1, (
        f"seed quality below the floor (entity F1 >= {MIN_ENTITY_F1}, claim F1 >= {MIN_CLAIM_F1}):\n{report}")
