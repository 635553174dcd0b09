"""contested headline stance and event dates: recompute the claim summaries older stores hold

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:00:00

No column changes. Before this revision a claim's summary stance hid a denial behind an assertion or
allegation, and its first_seen/last_seen fell back to the day its documents were ingested. Both are
recomputed here from the evidence (store.summary.headline, store.summary.claim_dates's rules): the
headline is `contested` when one source denies it and another asserts or alleges it; the dates are
the event dates its sentences give, else its documents' published days, else unknown (NULL).
Plain SQL over the tables as they are at this revision, so later model changes cannot break it.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from frontwatch.dates import event_period, published_day
from frontwatch.store.summary import headline

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHUNK = 2000


def upgrade() -> None:
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text("SELECT id FROM claims ORDER BY id"))]
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        where: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
        stances: dict[int, set[str]] = defaultdict(set)
        for claim_id, stance in conn.execute(sa.text(
                "SELECT DISTINCT claim_id, stance FROM evidence WHERE claim_id IN :ids").bindparams(where),
                {"ids": part}):
            stances[claim_id].add(stance)
        spans: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for claim_id, text in conn.execute(sa.text(
                "SELECT DISTINCT claim_id, date FROM evidence WHERE claim_id IN :ids AND date IS NOT NULL")
                .bindparams(where), {"ids": part}):
            period = event_period(text)
            if period:
                spans[claim_id]["event"].append(period)
        for claim_id, value in conn.execute(sa.text(
                "SELECT DISTINCT e.claim_id, d.published FROM evidence e JOIN documents d "
                "ON e.document_id = d.id WHERE e.claim_id IN :ids AND d.published IS NOT NULL")
                .bindparams(where), {"ids": part}):
            period = event_period(published_day(value))
            if period:
                spans[claim_id]["published"].append(period)
        for claim_id in part:
            if claim_id not in stances:
                continue  # no evidence: the summary already says so
            found = spans[claim_id]["event"] or spans[claim_id]["published"]
            first = min(s for s, _ in found) if found else None
            last = max(e for _, e in found) if found else None
            conn.execute(sa.text("UPDATE claims SET stance = :stance, first_seen = :first, last_seen = :last "
                                 "WHERE id = :id"),
                         {"stance": headline(stances[claim_id]), "first": first, "last": last,
                          "id": claim_id})


def downgrade() -> None:
    # the older summaries hid dissent and invented dates; nothing to restore (no column changed)
    pass
