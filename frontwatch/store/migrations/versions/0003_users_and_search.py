"""web users and sessions; full-text search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 18:10:00

Backfills `search_index` from the documents, live entities and evidenced claims already stored, with
the texts frontwatch.store.search builds (kept here as plain code so this migration never changes).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || body)"
MAX_EVIDENCE = 50
MAX_SENTENCES = 20

FTS5 = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_index', content_rowid='id',
       tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN
         INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
    """CREATE TRIGGER search_index_ad AFTER DELETE ON search_index BEGIN
         INSERT INTO search_fts(search_fts, rowid, title, body)
           VALUES ('delete', old.id, old.title, old.body);
       END""",
    """CREATE TRIGGER search_index_au AFTER UPDATE ON search_index BEGIN
         INSERT INTO search_fts(search_fts, rowid, title, body)
           VALUES ('delete', old.id, old.title, old.body);
         INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
       END""",
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("web_sessions") as batch:
        batch.create_index("ix_web_sessions_user_id", ["user_id"])
        batch.create_index("ix_web_sessions_expires_at", ["expires_at"])
    op.create_table(
        "search_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_search_index_tsv ON search_index USING gin ({TSVECTOR})")
    else:
        for statement in FTS5:
            op.execute(statement)
    _backfill()


def _backfill() -> None:
    conn = op.get_bind()
    search = sa.table("search_index", sa.column("kind"), sa.column("ref_id"), sa.column("title"),
                      sa.column("body"))
    conn.execute(sa.text("INSERT INTO search_index (kind, ref_id, title, body) "
                         "SELECT 'document', id, coalesce(title, doc_key), text FROM documents"))
    merged_into: dict[int, int | None] = {}
    names: dict[int, str] = {}
    for entity_id, name, into in conn.execute(sa.text("SELECT id, name, merged_into_id FROM entities")):
        names[entity_id], merged_into[entity_id] = name, into

    def root(i: int) -> int:
        seen = {i}
        while (nxt := merged_into.get(i)) is not None and nxt not in seen:
            i = nxt
            seen.add(i)
        return i

    aliases: dict[int, set[str]] = defaultdict(set)
    for entity_id, alias in conn.execute(sa.text("SELECT entity_id, alias FROM aliases")):
        aliases[root(entity_id)].add(alias)
    rows = [{"kind": "entity", "ref_id": i, "title": names[i],
             "body": "\n".join(sorted(a for a in aliases[i] if a and a != names[i]))}
            for i in sorted(names) if merged_into.get(i) is None]
    claims = sa.table("claims", sa.column("id"), sa.column("subject_id"), sa.column("predicate"),
                      sa.column("object_id"), sa.column("edits", sa.JSON), sa.column("n_documents"))
    sentences: dict[int, list[str]] = defaultdict(list)
    attributed: dict[int, set[str]] = defaultdict(set)
    for claim_id, sentence, who in conn.execute(sa.text(
            "SELECT claim_id, sentence, attributed_to FROM evidence ORDER BY id")):
        if len(sentences[claim_id]) >= MAX_EVIDENCE:  # the first rows of each claim, as search.py
            continue
        sentences[claim_id].append(sentence)
        if who:
            attributed[claim_id].add(who)
    for c in conn.execute(sa.select(claims).where(claims.c.n_documents > 0).order_by(claims.c.id)):
        predicate = (c.edits or {}).get("predicate", c.predicate)
        seen = list(dict.fromkeys(s for s in sentences[c.id] if s))[:MAX_SENTENCES]
        rows.append({"kind": "claim", "ref_id": c.id,
                     "title": f"{names.get(c.subject_id, '?')} {predicate.replace('_', ' ')} "
                              f"{names.get(c.object_id, '?')}",
                     "body": "\n".join(seen + sorted(attributed[c.id]))})
    for i in range(0, len(rows), 1000):
        conn.execute(search.insert(), rows[i:i + 1000])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_index_tsv")
    else:
        for trigger in ("search_index_ai", "search_index_ad", "search_index_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_index")
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_index("ix_web_sessions_expires_at")
        batch.drop_index("ix_web_sessions_user_id")
    op.drop_table("web_sessions")
    op.drop_table("users")
