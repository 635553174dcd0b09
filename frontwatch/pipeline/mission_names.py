"""The forms of a diplomatic mission's name that the gazetteer reads (gazetteer.py): its noun ("embassy",
"High Commission", "Consulate-General"), its seat ("... in Kuala Lumpur"), a lower-case noun after "the" or
a possessive ("his country's embassy in Vienna"), a state's mission to the United Nations."""

from __future__ import annotations

from spacy.tokens import Doc

MISSION_NOUNS = {"consulate", "embassy", "consulate-general", "high commission"}
# words before a mission's lower-case noun that make "embassy in X" a mission's name
OWNED_BEFORE = {"the", "his", "her", "its", "their", "'s", "’s"}


def is_prop(tok: object) -> bool:
    return bool(getattr(tok, "is_title", False) or getattr(tok, "is_upper", False))


def seat_end(doc: Doc, end: int) -> int:
    """Where a mission's or station's name ends when "in"/"at" and a place follow it ("... in Kuala
    Lumpur"); `end` when they do not."""
    n = len(doc)
    if end + 1 < n and doc[end].lower_ in ("in", "at") and is_prop(doc[end + 1]):
        end += 2
        while end < n and doc[end].pos_ == "PROPN" and is_prop(doc[end]):
            end += 1
    return end


def mission_noun_end(doc: Doc, k: int) -> int | None:
    """Where a mission's noun starting at token k ends ("embassy", "High Commission"); None if none does."""
    if k >= len(doc):
        return None
    if doc[k].lower_ in MISSION_NOUNS:
        return k + 1
    if k + 1 < len(doc) and f"{doc[k].lower_} {doc[k + 1].lower_}" in MISSION_NOUNS:
        return k + 2
    return None


def owned_mission_end(doc: Doc, i: int) -> int | None:
    """Where a mission's lower-case noun after "the" or a possessive ends with its seat ("the embassy in
    Stockholm", "its consulate in Gdansk"); None when no seat follows. A state before the noun makes
    a longer name (_generic)."""
    noun_end = mission_noun_end(doc, i)
    if noun_end is None or i == 0 or not doc[i].is_lower or doc[i - 1].lower_ not in OWNED_BEFORE:
        return None
    end = seat_end(doc, noun_end)
    return end if end > noun_end else None


def un_mission_end(doc: Doc, k: int) -> int | None:
    """Where "(permanent) mission to the United Nations" (or "to the UN") from token k ends; None if it
    does not start there."""
    if k < len(doc) and doc[k].lower_ == "permanent":
        k += 1
    if k + 2 >= len(doc) or doc[k].lower_ != "mission" or doc[k + 1].lower_ != "to":
        return None
    m = k + 3 if doc[k + 2].lower_ == "the" else k + 2
    if doc[m:m + 2].text == "United Nations":
        return m + 2
    return m + 1 if m < len(doc) and doc[m].text in ("UN", "U.N.") else None


def general_end(doc: Doc, j: int) -> int:
    """Past "General" or "-General" after a mission's noun ("Consulate General", "Consulate-General")."""
    if j + 1 < len(doc) and doc[j].text in ("-", "–") and doc[j + 1].lower_ == "general":
        return j + 2
    return j + 1 if j < len(doc) and doc[j].lower_ == "general" else j
