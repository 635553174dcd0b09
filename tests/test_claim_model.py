"""The trained claim model (frontwatch.claims.v2): training is deterministic, the shipped model loads and
decides claims with a confidence, stance stays honest, and quality on the held-out development set stays
above its floors (skipped without ../shared)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frontwatch.extract import extract_documents, extract_one
from frontwatch.model import Document
from frontwatch.pipeline.claim_model import ClaimModel, ModelClaimExtractor, canonical, load_claim_model
from frontwatch.pipeline.claims import FoundClaim
from frontwatch.sources import iter_documents
from frontwatch.training import NUISANCE, choose_threshold
from frontwatch.vocab import load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language

FIXTURES = Path(__file__).parent / "fixtures" / "training"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HELDOUT = SHARED / "eval" / "dev" / "heldout"
HELDOUT_GOLD = SHARED / "eval" / "dev" / "heldout.jsonl"
SCORER = SHARED / "eval" / "score.py"
# floors just below what the shipped model reaches (docs/extract.md has the table)
FLOORS = {"claim_f1": 0.51, "claim_recall": 0.45, "claim_precision": 0.60, "entity_f1": 0.92,
          "entity_typed_f1": 0.90, "stance_accuracy": 0.86, "attribution_accuracy": 0.83}


def train(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "frontwatch.training", str(FIXTURES), str(FIXTURES / "gold.jsonl"),
         "--out", str(out), "--cv", "0"], capture_output=True, text=True, timeout=300, check=False)


def test_training_is_deterministic(tmp_path: Path) -> None:
    first, second = train(tmp_path / "a.json.gz"), train(tmp_path / "b.json.gz")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    a, b = (tmp_path / "a.json.gz").read_bytes(), (tmp_path / "b.json.gz").read_bytes()
    assert a == b
    model = load_claim_model(str(tmp_path / "a.json.gz"))
    assert model.classes[0] == "none" and len(model.classes) > 2
    assert model.meta["documents"] == 3
    assert model.weights, "a model with no weights learned nothing"
    # document features only absorb label noise while fitting: the shipped weights never read them
    assert model.meta["nuisance"] == list(NUISANCE)
    assert not [f for f in model.weights if f.startswith(NUISANCE)]
    # the pair model is trained beside the sentence model, from exact pair labels
    assert model.bag is not None and model.bag.weights and model.bag.classes[0] == "none"
    assert model.meta["sentence_floor"] > 0
    assert not [f for f in model.bag.weights if f.startswith(NUISANCE)]


@pytest.mark.parametrize(("scores", "chosen"), [
    # F1 within 0.005 of the best: a tie, and it goes to recall (the session-19 cross-validation)
    ({0.25: (0.61, 0.47, 0.531), 0.30: (0.65, 0.45, 0.530), 0.35: (0.69, 0.43, 0.532),
      0.40: (0.72, 0.41, 0.526)}, 0.25),
    ({0.20: (0.55, 0.49, 0.530), 0.25: (0.61, 0.47, 0.531)}, 0.25),  # 0.20 is under the precision floor
    ({0.25: (0.61, 0.47, 0.510), 0.30: (0.65, 0.45, 0.530)}, 0.30),  # a clear best
    ({0.25: (0.50, 0.50, 0.500), 0.75: (0.55, 0.20, 0.300)}, 0.75),  # none precise enough: the highest
])
def test_the_threshold_is_the_lowest_near_the_best_among_precise_ones(
        scores: dict[float, tuple[float, float, float]], chosen: float) -> None:
    assert choose_threshold(scores) == chosen


def test_training_takes_more_documents_with_also(tmp_path: Path) -> None:
    out = tmp_path / "m.json.gz"
    done = subprocess.run(
        [sys.executable, "-m", "frontwatch.training", str(FIXTURES), str(FIXTURES / "gold.jsonl"),
         "--also", str(FIXTURES), str(FIXTURES / "gold.jsonl"), "--out", str(out), "--cv", "0"],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert load_claim_model(str(out)).meta["documents"] == 6


def test_training_without_documents_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "frontwatch.training", str(tmp_path),
                           str(FIXTURES / "gold.jsonl"), "--out", str(tmp_path / "m.json.gz")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no document" in done.stderr


def test_shipped_model_loads_and_is_in_the_pipeline(pipeline: Language) -> None:
    model = load_claim_model()
    assert isinstance(model, ClaimModel)
    assert 0.0 < model.threshold < 1.0
    assert {"none", "affiliated_with>", "located_in>", "targets>"} <= set(model.classes)
    assert pipeline.get_pipe_meta("claim_model").factory == "frontwatch_claims_v2"


def test_a_broken_model_file_is_one_clear_error(tmp_path: Path) -> None:
    from frontwatch.errors import ModelNotFoundError

    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ModelNotFoundError, match="cannot be read"):
        load_claim_model(str(bad))


def test_model_claims_carry_a_confidence_and_an_explanation(pipeline: Language) -> None:
    text = ("Officers of the Ministry of State Security ran a covert police station in Prato. "
            "Marco Bellini, a member of the Tuscany Chinese Business Association, denied any wrongdoing.")
    result = extract_one(Document(id="t", text=text))
    assert result.claims
    for c in result.claims:
        assert 0.0 < c.confidence <= 1.0
        assert c.explanation
    assert any(c.confidence < 1.0 for c in result.claims), "the model gives probabilities, not 1.0"
    assert all(any(x.startswith("pair ") for x in c.explanation) for c in result.claims), \
        "the pair model's reasons follow the sentence's"


def test_affiliated_with_and_controls_of_one_pair_are_decided_as_one_claim(pipeline: Language) -> None:
    doc = pipeline("Marco Bellini is a member of the association. The association directs Bellini.")
    first, second = list(doc.sents)
    extractor = ModelClaimExtractor(load_vocabulary(), load_claim_model(), 0.3, "noisy_or")
    found = [FoundClaim(1, "controls", 0, second, confidence=0.4),
             FoundClaim(0, "affiliated_with", 1, first, confidence=0.5)]
    key = canonical(0, "affiliated_with", 1)
    out = extractor._decide(found, {key: 0.8}, {key: lambda: ["pair 0.80: rule"]})
    assert [(c.subj, c.pred, c.obj) for c in out] == [(0, "affiliated_with", 1)] * 2  # the likelier name
    assert [c.sent.start for c in out] == [first.start, second.start]  # both sentences stay evidence
    assert out[0].confidence == pytest.approx((1 - 0.5 * 0.6) ** 0.5 * 0.8 ** 0.5, abs=1e-4)
    assert out[0].features == ["pair 0.80: rule"]


def test_class_probabilities_are_the_softmax_of_summed_weights() -> None:
    model = ClaimModel(["none", "funds>", "funds<"], [0.5, -1.0, 0.0],
                       {"a": {1: 2.0}, "b": {1: -0.5, 2: 1.5}}, 0.3, {})
    rows = [["a"], ["a", "b", "a", "unknown"], []]  # a feature counts once; unknown ones not at all

    def softmax(logits: list[float]) -> list[float]:
        exp = [math.exp(x) for x in logits]
        return [x / sum(exp) for x in exp]

    expected = [softmax([0.5, 1.0, 0.0]), softmax([0.5, 0.5, 1.5]), softmax([0.5, -1.0, 0.0])]
    for got, want in zip(model.probabilities_of(rows), expected, strict=True):
        assert got == pytest.approx(want, abs=1e-12)
    assert model.probabilities_of([]) == []
    assert model.claim_classes() == [[1], [2]]  # two directions, two claims
    pooled = ClaimModel(["none", "affiliated_with>", "funds>", "controls<"], [0.0] * 4, {}, 0.3, {})
    assert pooled.claim_classes() == [[1, 3], [2]]  # affiliated_with(A, B) is controls(B, A)


def test_decisions_pool_one_claims_classes_and_keep_those_that_reach_the_floor() -> None:
    model = ClaimModel(["none", "affiliated_with>", "funds>", "controls<"], [0.0, 0.0, 0.0, 0.0],
                       {"member": {1: 1.0, 3: 0.5}, "paid": {2: 2.0}}, 0.3, {})
    rows = [["member"], ["paid"], []]
    probs = model.probabilities_of(rows)
    got = model.decisions(rows, 0.6)
    # row 0: affiliated_with> and controls< are one claim, named by the likelier class, their sum
    assert got[0] == (0, 1, pytest.approx(probs[0][1] + probs[0][3]))
    assert [(r, k) for r, k, _ in got] == [(0, 1), (1, 2)]  # row 2's even split (0.5) is under the floor
    assert all(p >= 0.6 for _, _, p in got)
    assert model.decisions(rows, 0.0)[-2:] == [(2, 1, pytest.approx(0.5)), (2, 2, pytest.approx(0.25))]
    assert model.decisions([], 0.1) == []


@pytest.mark.parametrize("text", [
    "Prosecutors charged Reza Tavakoli, who is believed to be in Iran, with plotting an attack in Ohio.",
    "Poland expelled Anna Volkova, who is thought to be living in Russia, in March.",
    "The Kremlin did not deny that the GRU recruited Pavel Orlov.",
    # a clause before the denial, and a second act of the denier that the parser hangs low
    "Charged by the Justice Department last year, Chen Ming denies his dealings with Chinese officials.",
    "A foreign ministry spokesman went further, rejecting the idea that Omid Rahimi had been a reporter "
    "at all and describing him as a criminal who had worked with the Central Intelligence Agency.",
])
def test_no_claim_is_denied_without_a_denial_over_it(pipeline: Language, text: str) -> None:
    result = extract_one(Document(id="t", text=text))
    assert result.claims, "the sentence must give a claim for its stance to be tested"
    denied = [(c.subject, c.predicate, c.object, c.attributed_to) for c in result.claims
              if c.stance == "denied"]
    assert not denied


def test_v1_stays_selectable(monkeypatch: pytest.MonkeyPatch) -> None:
    from frontwatch.pipeline import load_pipeline

    monkeypatch.setenv("FRONTWATCH_CLAIMS", "v1")
    assert "claim_model" not in load_pipeline().pipe_names
    monkeypatch.setenv("FRONTWATCH_CLAIMS", "v3")
    from frontwatch.errors import ModelNotFoundError

    with pytest.raises(ModelNotFoundError, match="FRONTWATCH_CLAIMS"):
        load_pipeline()


def test_heldout_quality(pipeline: Language, tmp_path: Path) -> None:
    if not HELDOUT.is_dir() or not SCORER.is_file():
        pytest.skip("../shared/eval/dev/heldout is absent: heldout quality needs the shared development set")
    docs = [d for d in iter_documents([HELDOUT]) if isinstance(d, Document)]
    pred = tmp_path / "heldout.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for result in extract_documents(docs):
            fh.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    scored = subprocess.run([sys.executable, str(SCORER), str(HELDOUT_GOLD), str(pred), "--json"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert scored.returncode == 0, scored.stderr
    summary = json.loads(scored.stdout)
    low = {k: (summary[k], floor) for k, floor in FLOORS.items() if summary[k] < floor}
    assert not low, f"below the floor (got, floor): {low}"


@pytest.mark.parametrize(("text", "claim", "stance", "by"), [
    ("Polish intelligence linked Marek Zielinski to the GRU.",
     ("Marek Zielinski", "affiliated_with", "GRU"), "alleged", "Polish intelligence"),
    ("Prosecutors said Tomas Brand had reported to the SVR since 2019.",
     ("Tomas Brand", "affiliated_with", "SVR"), "alleged", None),
    # linked by the accusation alone: no trigger word between them, the accusing verb is their link
    ("Prosecutors accused Ivan Petrov of ties to the FSB.",
     ("Ivan Petrov", "affiliated_with", "FSB"), "alleged", None),
    # acting "on behalf of" a state: the state stands behind the one who acts, inside the charge
    ("Ivan Petrov was charged with harassing Olga Smirnova on behalf of the Chinese government.",
     ("China", "controls", "Ivan Petrov"), "alleged", None),
])
def test_reported_speech_over_a_model_claim_makes_it_alleged(pipeline: Language, text: str,
                                                              claim: tuple[str, str, str], stance: str,
                                                              by: str | None) -> None:
    result = extract_one(Document(id="t", text=text))
    found = {(c.subject, c.predicate, c.object): c for c in result.claims}
    assert claim in found, sorted(found)
    assert (found[claim].stance, found[claim].attributed_to) == (stance, by)
    assert not [k for k in found if k[0] == claim[0] and k[2] != claim[2] and k[1] == claim[1]], \
        "the principal controls the actor only, never the one acted on"


def test_a_resolved_description_is_a_mention_not_an_alias(pipeline: Language) -> None:
    text = ("The Canadian Security Intelligence Service warned MPs in May. "
            "The agency said it had briefed Jenny Kwan twice.")
    result = extract_one(Document(id="t", text=text))
    csis = next(e for e in result.entities if e.name == "Canadian Security Intelligence Service")
    assert [m.text for m in csis.mentions] == ["Canadian Security Intelligence Service", "The agency"]
    assert all(text[m.start:m.end] == m.text for m in csis.mentions)
    assert "The agency" not in csis.aliases


def test_an_age_is_no_date_and_a_state_organ_belongs_to_no_other_country(pipeline: Language) -> None:
    text = "Lu Jianwang, 61, was charged by the FBI in April 2023 with acting as an agent of China."
    result = extract_one(Document(id="t", text=text))
    assert "61" not in {e.name for e in result.entities}
    assert all(c.date != "61" for c in result.claims)
    assert any(c.date == "April 2023" for c in result.claims)
    assert not any({c.subject, c.object} == {"Federal Bureau of Investigation", "China"}
                   and c.predicate in ("affiliated_with", "controls") for c in result.claims)


@pytest.mark.parametrize(("text", "predicate", "date"), [
    ("Expelled from his union in 2015, Wang Lei joined the Harbour Friendship Society in 2021.",
     "affiliated_with", "2021"),
    ("After a trial in 2019, the Ministry of State Security recruited Wang Lei in May 2021.", "recruits",
     "May 2021"),
])
def test_a_claim_takes_the_date_its_clause_gives(pipeline: Language, text: str, predicate: str,
                                                 date: str) -> None:
    result = extract_one(Document(id="t", text=text))
    [claim] = [c for c in result.claims if c.predicate == predicate]
    assert claim.date == date  # not the sentence's first date


@pytest.mark.parametrize(("text", "claim"), [
    ("Canada cancelled the visa of Huang Wei in 2019.", ("Canada", "investigates", "Huang Wei")),
    ("The broadcaster BFMTV suspended its presenter Rachid Tamer last week.",
     ("BFMTV", "investigates", "Rachid Tamer")),
])
def test_acts_of_enforcement_beyond_charges_are_investigations(pipeline: Language, text: str,
                                                               claim: tuple[str, str, str]) -> None:
    # "investigates" covers sanctions and measures (predicates.yaml): cancelling a visa, suspending
    result = extract_one(Document(id="t", text=text))
    assert claim in {(c.subject, c.predicate, c.object) for c in result.claims}
