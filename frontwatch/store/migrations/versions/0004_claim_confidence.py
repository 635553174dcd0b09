"""claim confidence: the extractor's confidence on each piece of evidence and on each claim

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 23:50:00

Every claim stored before this revision came from the rule-based extractor, whose confidence is 1.0:
the server default fills both columns for the rows already there. A claim's confidence is the highest
of its evidence (store.summary keeps it so).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN on both SQLite and PostgreSQL: no table is copied
    op.add_column("evidence", sa.Column("confidence", sa.Float(), nullable=False, server_default="1.0"))
    op.add_column("claims", sa.Column("confidence", sa.Float(), nullable=False, server_default="1.0"))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of `claims` would have to drop the table
    # that evidence references, which SQLite refuses with foreign keys on
    op.drop_column("claims", "confidence")
    op.drop_column("evidence", "confidence")
