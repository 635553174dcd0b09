"""What the resolver compares: one actor as one document names it, and the text normalisation it uses.

A `Candidate` is an entity of one document reduced to what cross-document resolution looks at: its
canonical name, SCHEMA type, the other surface forms the document used, the gazetteer id the extractor
gave it and the ISO2 code of the state it belongs to (bodies, missions, parties) or lies in (places).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

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


UNKNOWN_ID_PREFIX = "ambiguous:"  # gazetteer ids of names that could be several actors


def known_gazetteer_id(c: Candidate) -> str | None:
    """The candidate's gazetteer id, unless it is one of an ambiguous name."""
    gid = c.gazetteer_id
    return None if not gid or gid.startswith(UNKNOWN_ID_PREFIX) else gid


def abbreviates(short_raw: list[str], long_toks: list[str]) -> bool:
    """Whether `short_raw` is `long_toks` with runs of words written as their initials:
    "Fuzhou PSB" ~ "Fuzhou Public Security Bureau", "CSIS" ~ "Canadian Security Intelligence Service"."""

    @cache
    def go(i: int, j: int) -> bool:
        if i == len(short_raw):
            return j == len(long_toks)
        if j == len(long_toks):
            return False
        word = short_raw[i]
        if word.casefold() == long_toks[j] and go(i + 1, j + 1):
            return True
        if not acronym_like(word):
            return False
        letters = word.casefold()
        for skip_stop in (True, False):
            got = ""
            for k in range(j, len(long_toks)):
                tok = long_toks[k]
                if skip_stop and tok in ACRONYM_STOP:
                    continue
                got += tok[0]
                if got == letters and go(i + 1, k + 1):
                    return True
                if not letters.startswith(got):
                    break
        return False

    return go(0, 0)


def expands(short: str, raw: list[str], long_: str) -> bool:
    """Whether `long_` (written in words) is what the acronym form `short` abbreviates."""
    toks = norm(long_).split()
    if len(toks) < 2 or as_acronym(long_):
        return False
    letters = as_acronym(short)
    if letters and len(letters) >= 2 and letters in (acronym(long_), full_acronym(long_)):
        return True
    return abbreviates(raw, toks)
