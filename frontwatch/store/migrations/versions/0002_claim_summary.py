"""claim corroboration summary columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DOC_DATE = "substr(coalesce(d.published, cast(d.ingested_at as varchar)), 1, 10)"
FROM_EVIDENCE = "FROM evidence e JOIN documents d ON d.id = e.document_id WHERE e.claim_id = claims.id"


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("stance", sa.String(16), nullable=False, server_default="alleged"))
        batch.add_column(sa.Column("n_documents", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("n_publishers", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("first_seen", sa.String(40), nullable=True))
        batch.add_column(sa.Column("last_seen", sa.String(40), nullable=True))
        batch.create_index("ix_claims_stance", ["stance"])
        batch.create_index("ix_claims_n_documents", ["n_documents"])
        batch.create_index("ix_claims_first_seen", ["first_seen"])
        batch.create_index("ix_claims_last_seen", ["last_seen"])
    # backfill from the evidence already stored
    op.execute(f"""
        UPDATE claims SET
          stance = CASE
            WHEN EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = claims.id AND e.stance = 'asserted')
              THEN 'asserted'
            WHEN EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = claims.id AND e.stance = 'alleged')
              THEN 'alleged'
            WHEN EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = claims.id) THEN 'denied'
            ELSE 'alleged' END,
          n_documents = (SELECT count(DISTINCT coalesce(d.lineage_id, d.id)) {FROM_EVIDENCE}),
          n_publishers = (SELECT count(DISTINCT d.publisher) {FROM_EVIDENCE}),
          first_seen = (SELECT min({DOC_DATE}) {FROM_EVIDENCE}),
          last_seen = (SELECT max({DOC_DATE}) {FROM_EVIDENCE})
    """)


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        for name in ("stance", "n_documents", "first_seen", "last_seen"):
            batch.drop_index(f"ix_claims_{name}")
        for name in ("stance", "n_documents", "n_publishers", "first_seen", "last_seen"):
            batch.drop_column(name)
