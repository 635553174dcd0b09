"""Which claims take part in a graph query or an export: the same filters everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, true

from ..errors import FrontwatchError
from ..model import PREDICATES, STANCES, TACTICS
from ..store.schema import ClaimRow, EvidenceRow

STANCE_FILTERS = (*STANCES, "contested")


def stance_condition(stance: str) -> ColumnElement[bool]:
    """Claims a `--stance` filter keeps, the same in `claims`, the graph, the timeline and exports:
    asserted, alleged or denied by at least one source; `contested`: denied by some source and
    asserted or alleged by another (the headline stance store.summary.headline computes)."""
    if stance == "contested":
        return ClaimRow.stance == "contested"
    return exists().where(EvidenceRow.claim_id == ClaimRow.id, EvidenceRow.stance == stance)


def date_conditions(since: str | None, until: str | None) -> list[ColumnElement[bool]]:
    """Claims whose dates (event dates, else published days; store.summary.claim_dates) reach into
    [since, until]; a claim with no known date is left out by either bound."""
    conds: list[ColumnElement[bool]] = []
    if since:
        conds.append(ClaimRow.last_seen >= since)
    if until:
        conds.append(ClaimRow.first_seen <= until)
    return conds



@dataclass(frozen=True)
class Filters:
    """Claim filters: predicates, stance, tactic, dates, sources and review."""

    predicates: tuple[str, ...] = ()
    stance: str | None = None  # a source with this stance, or "contested" (stance_condition)
    tactic: str | None = None
    since: str | None = None  # claims dated (event, else published) on or after this day
    until: str | None = None  # claims dated on or before this day
    min_sources: int = 1
    accepted_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.predicates:
            if p not in PREDICATES:
                raise FrontwatchError(f"unknown predicate '{p}' (one of {', '.join(PREDICATES)})")
        if self.stance and self.stance not in STANCE_FILTERS:
            raise FrontwatchError(f"unknown stance '{self.stance}' (one of {', '.join(STANCE_FILTERS)})")
        if self.tactic and self.tactic not in TACTICS:
            raise FrontwatchError(f"unknown tactic '{self.tactic}' (one of {', '.join(TACTICS)})")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise FrontwatchError(f"--{name} wants a date like 2023-06-30, not '{value}'") from None

    def where(self, review_status: str | None = None) -> ColumnElement[bool]:
        """The SQL condition on the claims table; `review_status` picks one review state instead
        (rejected claims included, which the network otherwise leaves out)."""
        conds: list[ColumnElement[bool]] = [ClaimRow.n_documents >= max(self.min_sources, 1)]
        if self.predicates:
            conds.append(ClaimRow.predicate.in_(self.predicates))
        if self.stance:
            conds.append(stance_condition(self.stance))
        if self.tactic:
            conds.append(ClaimRow.tactic == self.tactic)
        conds += date_conditions(self.since, self.until)
        if review_status is not None:
            conds.append(ClaimRow.review_status == review_status)
        if self.accepted_only:
            conds.append(ClaimRow.review_status.in_(("accepted", "edited")))
        elif review_status is None:
            conds.append(ClaimRow.review_status != "rejected")  # a rejected claim is not in the network
        return and_(true(), *conds)

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in (("predicates", list(self.predicates)), ("stance", self.stance),
                                  ("tactic", self.tactic), ("since", self.since), ("until", self.until),
                                  ("min_sources", self.min_sources), ("accepted_only", self.accepted_only))
                if v}
