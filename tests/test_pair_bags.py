"""Pair bags: every sentence of a pair of entities pooled into one example, read in one frame."""

from __future__ import annotations

import pytest
from spacy.language import Language

from frontwatch.pipeline.args import DocIndex
from frontwatch.pipeline.claim_model import canonical, document_candidates, load_claim_model
from frontwatch.pipeline.pair_bags import bags, flip
from frontwatch.vocab import load_vocabulary


@pytest.mark.parametrize(("feature", "flipped"), [
    ("ta:person", "tb:person"),
    ("db:dobj", "da:dobj"),
    ("t:person|state_body", "t:state_body|person"),
    ("dab:nsubj|pobj", "dab:pobj|nsubj"),
    ("rule:funds:fwd", "rule:funds:rev"),
    ("rule:any", "rule:any"),
    ("trig_t:funds|person|country", "trig_t:funds|country|person"),
    ("bw:convict", "bw:convict"),
    ("path:nsubj>dobj", "R:path:nsubj>dobj"),
    ("prev_a:the", "prev_b:the"),
    ("wa:court", "wb:court"),
    ("wb_ta:embassy|person", "wa_tb:embassy|person"),
    ("states:other", "states:other"),
    ("states_t:other|state_body|country", "states_t:other|country|state_body"),
])
def test_flip_reads_a_feature_the_other_way_round(feature: str, flipped: str) -> None:
    assert flip([feature]) == [flipped]


def test_flipping_twice_gives_back_what_can_be_turned() -> None:
    turnable = ["ta:person", "t:a|b", "rule:meets:fwd", "trig_t:x|a|b", "pl:of", "hb:say"]
    assert flip(flip(turnable)) == turnable


def test_a_pair_named_in_two_sentences_either_way_round_is_one_bag(pipeline: Language) -> None:
    doc = pipeline("The Ministry of State Security ran Wang Shujun for a decade. "
                   "Wang Shujun denied that the Ministry of State Security paid him.")
    idx = DocIndex.of(doc, load_vocabulary())
    cands = document_candidates(idx, [])
    found = [b for b in bags(cands) if {idx.ents[b.first].name, idx.ents[b.second].name}
             == {"Ministry of State Security", "Wang Shujun"}]
    assert len(found) == 1
    bag = found[0]
    assert idx.ents[bag.first].name == "Ministry of State Security"
    assert bag.reversed[:2] == [False, True]  # ("him" may add a third member, MSS first)
    assert "nsent:2" in bag.features
    # the second sentence names Wang first: its "ta:person" becomes the frame's "tb:person"
    assert "tb:person" in bag.features and "ta:state_body" in bag.features


def test_features_name_the_kind_of_body_and_a_foreign_state(pipeline: Language) -> None:
    doc = pipeline("Kosovo Police arrested Kahraman Demirez. "
                   "Russia's Unit 29155 blew up a depot in the Czech Republic, Russia's FSB said.")
    idx = DocIndex.of(doc, load_vocabulary())
    feats = {(idx.ents[c.a.ent].name, idx.ents[c.b.ent].name): set(f)
             for c, f in document_candidates(idx, [])}
    police = feats[("Kosovo Police", "Kahraman Demirez")]
    assert {"wa:police", "wa_tb:police|person"} <= police and not any(f.startswith("wb") for f in police)
    assert "states:other" not in police  # a person has no state
    unit = feats[("GRU Unit 29155", "Czech Republic")]
    assert {"states:other", "states_t:other|state_body|country"} <= unit
    # a body and its own state are not foreign to each other
    assert not any(f.startswith("states") for f in feats[("GRU Unit 29155", "Russia")])


def test_canonical_keys_match_schema() -> None:
    assert canonical(3, "affiliated_with", 1) == canonical(1, "controls", 3) == ("controls", 1, 3)
    assert canonical(5, "meets", 2) == canonical(2, "meets", 5)
    assert canonical(5, "funds", 2) != canonical(2, "funds", 5)


def test_the_shipped_model_has_its_pair_model() -> None:
    model = load_claim_model()
    assert model.bag is not None and model.bag.weights
    assert set(model.bag.classes) == set(model.classes)
