"""Candidate mentions of the trained claim model (frontwatch/pipeline/candidates.py): plural and named
descriptions resolve to the entities named before them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from frontwatch.pipeline import candidates, load_pipeline
from frontwatch.pipeline.args import DocIndex
from frontwatch.vocab import load_vocabulary

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(extractor="v1")


def mentions(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    """(surface text, kind, entity name) of every mention that is not a name."""
    doc = nlp(text)
    idx = DocIndex.of(doc, load_vocabulary())
    return [(doc[m.start:m.end].text, m.kind, idx.ents[m.ent].name)
            for ms in candidates.sentence_mentions(idx).values() for m in ms if m.kind != "name"]


def test_plural_description_stands_for_every_person_of_the_coordination(nlp: Language) -> None:
    text = ("A court in Oslo convicted John Miller and Peter Hansen of spying last week. "
            "Prosecutors said both men had worked for the GRU since 2019.")
    found = {(t, e) for t, kind, e in mentions(nlp, text) if kind == "group"}
    assert {t for t, _ in found} == {"men"}
    assert {e.split()[-1] for _, e in found} == {"Miller", "Hansen"}


def test_numbered_description_needs_that_many_people(nlp: Language) -> None:
    text = ("Police arrested John Miller and Peter Hansen in Oslo. "
            "The three suspects were released on bail.")
    assert not [m for m in mentions(nlp, text) if m[1] == "group"]


def test_head_noun_of_a_name_refers_to_that_body(nlp: Language) -> None:
    text = ("The National Security Council of Norway met on Monday. "
            "Ingrid Solberg said the council would review the case against the company.")
    assert ("council", "description") in {(t, kind) for t, kind, _ in mentions(nlp, text)}
    assert any(t == "council" and "Security Council" in e for t, _, e in mentions(nlp, text))


@pytest.mark.parametrize(("text", "person"), [
    ("At a demonstration, Tal Hanan opened the accounts of advisers to William Ruto. One of the advisers, "
     "the digital strategist Dennis Itumbi, later said that his account had been hacked.", "Dennis Itumbi"),
    ("Officials met Ravi Mehta in Ottawa last week. Canada's deputy foreign minister, David Morrison, told "
     "the committee that he had shared the evidence.", "David Morrison"),
    # the subject itself still wins over a person in apposition to an object
    ("Anna Berg met the envoy, Li Wen, in Oslo, and she said the talks went well.", "Anna Berg"),
])
def test_a_pronoun_can_refer_to_a_person_in_apposition_to_the_subject(nlp: Language, text: str,
                                                                      person: str) -> None:
    found = {(t.lower(), e) for t, kind, e in mentions(nlp, text) if kind == "pronoun"}
    assert any(e == person for _, e in found), found


@pytest.mark.parametrize(("text", "verb", "body"), [
    # a step of the case with no actor goes to the prosecutor or court named before it
    ("The case was brought by the Crown Prosecution Service. John Miller was convicted of spying on Monday.",
     "convicted", "Crown Prosecution Service"),
    ("The Federal Prosecutor's Office in Karlsruhe said the trial would open in May. "
     "Peter Hansen pleaded guilty to all charges.", "pleaded", "Federal Public Prosecutor General"),
    # an arrest goes to the police, though a court is named nearer
    ("The Oslo Police opened the inquiry. The Oslo District Court heard the case in June. "
     "John Miller was arrested at the airport.", "arrested", "Oslo Police"),
    # none before: the first named after
    ("John Miller was charged with espionage last week. The Crown Prosecution Service will bring the "
     "case in May.", "charged", "Crown Prosecution Service"),
])
def test_a_case_step_without_its_actor_names_the_case_body(nlp: Language, text: str, verb: str,
                                                           body: str) -> None:
    found = {(t, e) for t, kind, e in mentions(nlp, text) if kind == "implicit"}
    assert found == {(verb, body)}


@pytest.mark.parametrize("text", [
    # the actor is named: the verb's own subject or agent
    "The Crown Prosecution Service said on Friday that it charged John Miller with spying.",
    "John Miller was charged by the Crown Prosecution Service with spying.",
    # no case body in the document
    "John Miller was convicted of spying in Oslo on Monday.",
    # "tried to", not "was tried"
    "The Crown Prosecution Service is based in London. John Miller tried to recruit a clerk.",
])
def test_no_case_body_where_the_actor_is_named_or_none_is(nlp: Language, text: str) -> None:
    assert not [m for m in mentions(nlp, text) if m[1] == "implicit"]
