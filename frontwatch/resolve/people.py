"""People's names: titles stripped, and whether two given or family names can be one person's."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from .candidate import Candidate, acronym_like, clean
from .lexicon import lexicon

# Words that precede a person's name without being part of it ("Prime Minister Justin Trudeau").
TITLE_WORDS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "prof", "professor", "president", "vice", "prime",
    "minister", "pm", "mp", "mpp", "mla", "senator", "sen", "rep", "representative", "congressman",
    "congresswoman", "judge", "justice", "commissioner", "assistant", "deputy", "chief", "attorney",
    "general", "secretary", "home", "foreign", "interior", "pastor", "rev", "reverend", "ambassador",
    "consul", "cg", "director", "spokesperson", "spokesman", "spokeswoman", "chancellor", "mayor",
    "premier", "former", "high", "officer", "agent", "dissident", "activist",
})


def person_tokens(form: str) -> list[str]:
    """A person's name without leading titles and the nationality or body qualifying them ("U.S.
    President Joe Biden", "RCMP Commissioner Mike Duheme")."""
    raw = clean(form, fold=False).split()
    toks = [w.casefold() for w in raw]
    lex = lexicon()
    i = 0
    while i < len(toks) - 1:
        if toks[i] in TITLE_WORDS:
            i += 1
        elif ((toks[i],) in lex.state_words or acronym_like(raw[i])) and toks[i + 1] in TITLE_WORDS:
            i += 1  # "U.S. President ...", but not a given name that happens to be a country
        else:
            break
    return toks[i:]


def given_compatible(x: str, y: str) -> bool:
    """Given names that can be one person's: equal, an initial, a short form, or a spelling variant
    that keeps the first five letters (Dmitry/Dmitri); not Kamalpreet/Karanpreet."""
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) == 1:
        return long_.startswith(short)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return len(short) >= 5 and x[:5] == y[:5] and Levenshtein.distance(x, y) <= 1


def family_compatible(x: str, y: str) -> bool:
    """Family names that can be one person's: equal, truncated (Pannu/Pannun) or a one-letter typo."""
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return True
    return len(short) >= 6 and Levenshtein.distance(x, y) <= 1


def subsequence(short: list[str], long_: list[str]) -> bool:
    it = iter(long_)
    return all(any(t == u for u in it) for t in short)


def names_conflict(ta: list[str], tb: list[str]) -> bool:
    """Two full names sharing a surname (or, East Asian order, a first token) with incompatible
    other ends: Justin/Pierre Trudeau, Zhao Wei/Zhao Lijian."""
    if len(ta) < 2 or len(tb) < 2 or set(ta) == set(tb):
        return False
    if subsequence(ta, tb) or subsequence(tb, ta):
        return False
    if ta[-1] == tb[-1]:
        return not given_compatible(ta[0], tb[0])
    if ta[0] == tb[0]:
        if ta[-1] in tb or tb[-1] in ta or "".join(ta) == "".join(tb):
            return False
        return not family_compatible(ta[-1], tb[-1])
    return False


def person_forms(c: Candidate) -> list[list[str]]:
    return [t for f in c.forms if (t := person_tokens(f))]


def surname_only(c: Candidate) -> bool:
    """Every form of the person is one word ("Trudeau", "Duheme")."""
    forms = person_forms(c)
    return bool(forms) and all(len(t) == 1 for t in forms)
