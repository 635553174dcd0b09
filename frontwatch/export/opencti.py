"""Which STIX 2.1 relationship type carries a claim so that OpenCTI accepts it: the table of
frontwatch/data/mappings/opencti_relationships.yaml (a subset of OpenCTI's own, named there)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

TABLE = ("data", "mappings", "opencti_relationships.yaml")


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """The shipped table: `allowed` (OpenCTI type -> relationship -> target types), `predicates`
    (frontwatch predicate -> relationship types to try) and `fallback`."""
    text = resources.files("frontwatch").joinpath(*TABLE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def opencti_type(sdo: dict[str, Any]) -> str:
    """How OpenCTI names a STIX object that the export emits."""
    kind = sdo["type"]
    if kind == "threat-actor":
        return "Threat-Actor-Group"
    if kind == "intrusion-set":
        return "Intrusion-Set"
    if kind == "location":
        return str(sdo.get("x_opencti_location_type") or "Country")
    if kind == "identity":
        return "Individual" if sdo.get("identity_class") == "individual" else "Organization"
    return kind


def allowed(source: str, relationship: str, target: str) -> bool:
    """Whether OpenCTI accepts this (source type, relationship, target type); related-to always."""
    if relationship == table()["fallback"]:
        return True
    return target in (table()["allowed"].get(source) or {}).get(relationship, [])


def relationship_type(predicate: str, source: str, target: str) -> str:
    """The first STIX type that fits the predicate and that OpenCTI allows between the two ends,
    else related-to."""
    for candidate in table()["predicates"].get(predicate) or []:
        if allowed(source, candidate, target):
            return str(candidate)
    return str(table()["fallback"])
