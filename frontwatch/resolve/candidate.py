"""What the resolver compares: one actor as one document names it, and the text normalisation it uses.

A `Candidate` is an entity of one document reduced to what cross-document resolution looks at: its
canonical name, SCHEMA type, the other surface forms the document used, the gazetteer id the extractor
gave it and the ISO2 code of the state it belongs to (bodies, missions, parties) or lies in (places).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Words an acronym skips ("Royal Canadian Mounted Police" -> RCMP, "People's Republic of China" -> PRC).
ACRONYM_STOP = frozenset({"of", "the", "and", "for", "in", "on", "de", "du", "la", "le"})

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_POSSESSIVE = re.compile(r"(?<=\w)'s\b", re.IGNORECASE)
_TIGHT_AMP = re.compile(r"(?<=\w)&(?=\w)")  # R&AW -> RAW, AT&T -> ATT
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Candidate:
    """One actor as a document names it: canonical name, SCHEMA type and what else is known."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    gazetteer_id: str | None = None
    state: str | None = None  # ISO2 of the state it belongs to / is located in, when known

    @property
    def forms(self) -> tuple[str, ...]:
        """The name followed by every alias, duplicates (after `norm`) removed."""
        seen: dict[str, str] = {}
        for form in (self.name, *self.aliases):
            key = norm(form)
            if key and key not in seen:
                seen[key] = form
        return tuple(seen.values())


@lru_cache(maxsize=131072)  # resolution normalises the same few thousand names again and again
def clean(text: str, fold: bool = True) -> str:
    """`norm` without case folding when `fold` is false (token boundaries are the same either way)."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if fold:
        text = text.casefold()
    text = _POSSESSIVE.sub("", text)
    text = _TIGHT_AMP.sub("", text).replace("&", " and ")
    text = text.replace(".", "").replace("'", "")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    text = _SPACES.sub(" ", text).strip()
    if text[:4].casefold() == "the ":
        text = text[4:]
    return text


def norm(text: str) -> str:
    """Casefold, strip accents, drop dots, apostrophes and a possessive 's, punctuation to spaces,
    collapse whitespace and drop a leading "the": "The U.S.’s" -> "us"."""
    return clean(text, fold=True)


def tokens(text: str) -> list[str]:
    """The words of `norm(text)`."""
    return norm(text).split()


def acronym(text: str) -> str:
    """Initials of the significant words, upper-case: "Canadian Security Intelligence Service" -> "CSIS".

    Words in ACRONYM_STOP and words starting with a digit are skipped.
    """
    return "".join(t[0] for t in tokens(text) if t not in ACRONYM_STOP and not t[0].isdigit()).upper()


def full_acronym(text: str) -> str:
    """Initials of every word, function words included: "Sikhs for Justice" -> "SFJ"."""
    return "".join(t[0] for t in tokens(text) if not t[0].isdigit()).upper()


def as_acronym(text: str) -> str | None:
    """The letters of a form written as an acronym ("U.S." -> "US", "B.C. NDP" -> "BCNDP", "AfD" ->
    "AFD", "R&AW" -> "RAW"), or None when the form reads as words."""
    words = clean(text, fold=False).split()
    if not words or not all(acronym_like(w) for w in words):
        return None
    letters = "".join(words).upper()
    return letters if len(letters) >= 2 else None


def acronym_like(word: str) -> bool:
    """A token written as an acronym: letters only, at least two capitals making up at least half of it
    ("CSIS", "AfD", "BC"; not "FuQing" or "McCallum")."""
    upper = sum(ch.isupper() for ch in word)
    return word.isalpha() and upper >= 2 and 2 * upper >= len(word)
