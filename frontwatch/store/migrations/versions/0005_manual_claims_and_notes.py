"""manual claims and notes: who added a piece of evidence by hand, and analysts' notes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 05:30:00

Evidence the extractor stored has no `added_by` (NULL); an analyst's claim (`claims add`) names the
analyst. Notes on claims, entities and documents live in their own table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ... ADD COLUMN on both SQLite and PostgreSQL: no table is copied
    op.add_column("evidence", sa.Column("added_by", sa.String(length=120), nullable=True))
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notes_kind_ref", "notes", ["kind", "ref_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_notes_kind_ref", table_name="notes")
    op.drop_table("notes")
    op.drop_column("evidence", "added_by")
