"""The evidence store's tables (SQLAlchemy 2 ORM). Migrations live in store/migrations (Alembic).

Claims are canonical (subject, predicate, object) between canonical entities; every piece of evidence
keeps the document, the sentence, its stance and attribution, and the document-local entities it was
read between, so merges and splits can move evidence between claims and be undone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

REVIEW_STATES = ("pending", "accepted", "rejected", "edited")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Reviewed:
    """Review state an analyst sets; ingest never changes it."""

    review_status: Mapped[str] = mapped_column(String(16), default="pending")
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_key: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    lineage_id: Mapped[int | None] = mapped_column(Integer, index=True)  # first version's id
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    publisher: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class EntityRow(Reviewed, Base):
    __tablename__ = "entities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    type: Mapped[str] = mapped_column(String(32), index=True)
    gazetteer_id: Mapped[str | None] = mapped_column(String(120), index=True)
    state: Mapped[str | None] = mapped_column(String(8))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    aliases: Mapped[list[AliasRow]] = relationship(back_populates="entity", cascade="all, delete-orphan")


class AliasRow(Base):
    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("entity_id", "norm"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    alias: Mapped[str] = mapped_column(String(400))
    norm: Mapped[str] = mapped_column(String(400), index=True)
    entity: Mapped[EntityRow] = relationship(back_populates="aliases")


class DocEntityRow(Base):
    """One document's entity, resolved to a canonical entity with the rule and score that did it."""

    __tablename__ = "doc_entities"
    __table_args__ = (UniqueConstraint("document_id", "local_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    local_name: Mapped[str] = mapped_column(String(400))
    local_type: Mapped[str] = mapped_column(String(32))
    forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    rule: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(default=1.0)


class MentionRow(Base):
    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_entity_id: Mapped[int] = mapped_column(ForeignKey("doc_entities.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(400))


class ClaimRow(Reviewed, Base):
    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("subject_id", "predicate", "object_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    predicate: Mapped[str] = mapped_column(String(32), index=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    tactic: Mapped[str | None] = mapped_column(String(32))
    edits: Mapped[dict[str, str] | None] = mapped_column(JSON)  # an analyst's corrections
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # corroboration summary, kept current from the evidence (store.summary) so graph filters are SQL
    stance: Mapped[str] = mapped_column(String(16), default="alleged", index=True)
    n_documents: Mapped[int] = mapped_column(Integer, default=0, index=True)
    n_publishers: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[str | None] = mapped_column(String(40), index=True)
    last_seen: Mapped[str | None] = mapped_column(String(40), index=True)
    # the extractor's confidence in [0, 1]: the highest of the claim's evidence (1.0 from rules alone)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)


class EvidenceRow(Base):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_claim_doc", "claim_id", "document_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    subject_de_id: Mapped[int] = mapped_column(ForeignKey("doc_entities.id"))
    object_de_id: Mapped[int] = mapped_column(ForeignKey("doc_entities.id"))
    predicate: Mapped[str] = mapped_column(String(32))
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(16))
    attributed_to: Mapped[str | None] = mapped_column(String(400))
    attributed_de_id: Mapped[int | None] = mapped_column(ForeignKey("doc_entities.id"))
    tactic: Mapped[str | None] = mapped_column(String(32))
    date: Mapped[str | None] = mapped_column(String(80))
    amount: Mapped[str | None] = mapped_column(String(80))
    trigger: Mapped[str | None] = mapped_column(String(80))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)  # the extractor's, for this sentence
    added_by: Mapped[str | None] = mapped_column(String(120))  # the analyst who added it by hand


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("audit_log.id"))


class NoteRow(Base):
    """An analyst's note on a claim, an entity or a document (store/manual.py); ingest never touches it."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_kind_ref", "kind", "ref_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # claim, entity or document
    ref_id: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UserRow(Base):
    """A person who may use the web workbench (frontwatch/web/security.py); no users = read-only."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    role: Mapped[str] = mapped_column(String(16))  # viewer, analyst or admin
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSessionRow(Base):
    """A login session: only the SHA-256 of the cookie's token is stored, with its CSRF token."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


SEARCH_TSVECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || body)"


class SearchRow(Base):
    """Full-text search: one row per document, live entity and evidenced claim (store/search.py).

    On SQLite the FTS5 table `search_fts` (external content = this table) is kept in step by triggers;
    on PostgreSQL a GIN index on SEARCH_TSVECTOR serves the queries. Both come from migration 0003.
    """

    __tablename__ = "search_index"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id"),
        Index("ix_search_index_tsv", text(SEARCH_TSVECTOR), postgresql_using="gin").ddl_if(
            dialect="postgresql"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # document, entity or claim
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")


class InvestigationRow(Base):
    """An analyst's saved investigation (store/investigations.py): entities and claims, notes, and where
    the graph page placed each node ({"<entity id>": {"x": .., "y": ..}})."""

    __tablename__ = "investigations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    entity_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    claim_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    layout: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
