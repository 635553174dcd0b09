"""Which claims take part in a graph query or an export: the same filters everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from ..errors import FrontwatchError
from ..model import PREDICATES, STANCES
from ..store.schema import ClaimRow

TACTICS = ("covert_funding", "political_influence", "disinformation", "intimidation", "forced_return",
           "covert_policing", "espionage", "illicit_finance", "countermeasure")


@dataclass(frozen=True)
class Filters:
    """Claim filters: predicates, summary stance, tactic, seen dates, sources and review."""

    predicates: tuple[str, ...] = ()
    stance: str | None = None  # a claim's summary stance: asserted > alleged > denied
    tactic: str | None = None
    since: str | None = None  # claims seen in a document on or after this day
    until: str | None = None  # claims first seen on or before this day
    min_sources: int = 1
    accepted_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for p in self.predicates:
            if p not in PREDICATES:
                raise FrontwatchError(f"unknown predicate '{p}' (one of {', '.join(PREDICATES)})")
        if self.stance and self.stance not in STANCES:
            raise FrontwatchError(f"unknown stance '{self.stance}' (one of {', '.join(STANCES)})")
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
            conds.append(ClaimRow.stance == self.stance)
        if self.tactic:
            conds.append(ClaimRow.tactic == self.tactic)
        if self.since:
            conds.append(ClaimRow.last_seen >= self.since)
        if self.until:
            conds.append(ClaimRow.first_seen <= self.until)
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
