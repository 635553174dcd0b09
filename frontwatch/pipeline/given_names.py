"""Given names of people, from gender-guesser's dictionary (offline; about 40,000 names from many
countries): "Marieke de Vries" is a person however the statistical NER labels it."""

from __future__ import annotations

from functools import lru_cache

# the dictionary's verdicts that a word is someone's given name; "andy" (either sex) also holds
# words such as "Justice", "Hong" and "San", which start names of bodies and places
GIVEN = {"male", "female", "mostly_male", "mostly_female"}
# the sex a pronoun's antecedent cannot be: "Hedvig Moe said ... he had lived" is not about her
PRONOUN_GENDER = {"he": "f", "him": "f", "his": "f", "himself": "f", "she": "m", "her": "m", "herself": "m"}
# lower-case words inside a person's name ("Ursula von der Leyen", "Mohammed bin Salman")
PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "le", "la", "al", "bin", "ibn",
                       "el", "ter", "dos", "das", "del", "della", "zu"})


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def is_given_name(word: str) -> bool:
    """A word the dictionary knows as a given name; a hyphenated one when each part is ("Anne-Marie")."""
    parts = word.split("-")
    return all(p[:1].isupper() and _detector().get_gender(p) in GIVEN for p in parts)


@lru_cache(maxsize=4096)
def gender_of(name: str) -> str | None:
    """"m" or "f" when the dictionary is sure enough of the first word of a person's name, else None."""
    first = name.split()[0] if name.split() else ""
    verdict = _detector().get_gender(first) if first[:1].isupper() else "unknown"
    return {"male": "m", "female": "f"}.get(verdict)  # "mostly_*" are often family names ("Trinh")
