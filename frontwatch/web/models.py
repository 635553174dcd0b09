"""Request and response models of the JSON API (they are the OpenAPI schema: keep them exact)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from ..graph.filters import TACTICS
from ..model import ENTITY_TYPES, PREDICATES, STANCES

PredicateName = Literal["controls", "affiliated_with", "funds", "supports", "meets", "recruits", "targets",
                        "interferes_in", "located_in", "investigates"]
StanceName = Literal["asserted", "alleged", "denied"]
# a stance filter: a source with that stance, or contested (one source denies, another asserts or alleges)
StanceFilter = Literal["asserted", "alleged", "denied", "contested"]
TacticName = Literal["covert_funding", "political_influence", "disinformation", "intimidation",
                     "forced_return", "covert_policing", "espionage", "illicit_finance", "countermeasure"]
EntityType = Literal["person", "state_body", "diplomatic_mission", "overseas_station", "organization",
                     "country", "place"]
ReviewStatus = Literal["accepted", "rejected", "pending"]
AnyReviewStatus = Literal["pending", "accepted", "rejected", "edited"]
assert get_args(PredicateName) == PREDICATES and get_args(StanceName) == STANCES
assert get_args(TacticName) == TACTICS and get_args(EntityType) == ENTITY_TYPES

MAX_ID = 2_147_483_647  # PostgreSQL integer


def _plain(value: str) -> str:
    """Text a database can store: no NUL, no lone surrogates."""
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError("text must not contain NUL characters or lone surrogates")
    return value


def _iso_date(value: str) -> str:
    """YYYY-MM-DD and a real day (JSON Schema's format "date"), nothing looser."""
    if len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError("a date is YYYY-MM-DD")
    date.fromisoformat(value)
    return value


PlainText = Annotated[str, Field(pattern=r"^[^\x00]*$"), AfterValidator(_plain)]
IsoDate = Annotated[str, AfterValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- claims ------------------------------------------------------------------------------------

class SourceOut(BaseModel):
    document: str
    title: str | None
    url: str | None
    publisher: str | None
    stance: str
    attributed_to: str | None
    evidence: str
    date: str | None
    document_id: int | None = None  # the pages link /documents/{document_id}#claim-{id}
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0  # the extractor's, 0 to 1, for this sentence


class ClaimOut(BaseModel):
    """A claim with its corroboration: stance and attribution always travel with it."""

    id: int
    subject: str
    predicate: str
    object: str
    tactic: str | None
    stance: str
    documents: int
    publishers: int
    alleged_only_in: list[str]
    alleged_by: list[str]
    denied_by: list[str]
    review_status: str
    reviewed_by: str | None
    sources: list[SourceOut]
    first_seen: str | None
    confidence: float = 1.0  # the extractor's, 0 to 1: the highest of its sources' (1.0 from the rules)
    asserted_by: list[str] = []
    stance_counts: dict[str, int] = {}  # documents per stance of its sources: {"alleged": 3, "denied": 1}
    last_seen: str | None = None
    date_source: str | None = None  # first_seen/last_seen are "event" dates, else "published" days


class ClaimDetail(ClaimOut):
    document_ids: list[int]


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    total: int


# --- entities ----------------------------------------------------------------------------------

class EntityItem(BaseModel):
    id: int
    name: str
    type: str
    aliases: list[str]
    documents: int
    review_status: str


class EntityPage(BaseModel):
    items: list[EntityItem]
    total: int


class ProfileDocument(BaseModel):
    id: int
    key: str
    title: str | None
    publisher: str | None
    published: str | None


class EntityProfile(BaseModel):
    id: int
    name: str
    type: str
    gazetteer_id: str | None
    aliases: list[str]
    documents: int
    review_status: str
    claims_out: list[ClaimOut]
    claims_in: list[ClaimOut]
    accuses: list[ClaimOut] = []  # claims it makes as accuser (sources attributed to it)
    document_list: list[ProfileDocument] = []  # the documents it appears in
    publishers: list[str] = []  # the publishers of those documents


# --- search ------------------------------------------------------------------------------------

class EntityHit(BaseModel):
    id: int
    name: str
    type: str
    aliases: list[str]


class ClaimHit(BaseModel):
    id: int
    subject: str
    predicate: str
    object: str
    stance: str
    tactic: str | None
    documents: int
    alleged_by: list[str]
    denied_by: list[str]
    review_status: str
    snippet: str


class DocumentHit(BaseModel):
    id: int
    key: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    snippet: str


class SearchResult(BaseModel):
    entities: list[EntityHit]
    claims: list[ClaimHit]
    documents: list[DocumentHit]


# --- documents ---------------------------------------------------------------------------------

class MentionOut(BaseModel):
    start: int
    end: int
    entity_id: int
    entity: str
    type: str


class EvidenceOut(BaseModel):
    claim_id: int
    start: int | None
    end: int | None
    predicate: str
    subject: str
    object: str
    stance: str
    attributed_to: str | None
    sentence: str
    confidence: float = 1.0  # the extractor's, 0 to 1


class DocumentOut(BaseModel):
    id: int
    key: str
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    ingested_at: str
    text: str
    mentions: list[MentionOut]
    evidence: list[EvidenceOut]


# --- graph -------------------------------------------------------------------------------------

class GraphNode(BaseModel):
    id: int
    name: str
    type: str
    distance: int | None = None


class GraphEdge(BaseModel):
    id: int
    subject_id: int
    object_id: int
    subject: str
    object: str
    predicate: str
    stance: str
    tactic: str | None
    documents: int
    publishers: int
    first_seen: str | None
    last_seen: str | None
    review_status: str
    alleged_by: list[str]
    denied_by: list[str]
    confidence: float = 1.0  # the extractor's, 0 to 1
    date_source: str | None = None  # first_seen/last_seen are "event" dates, else "published" days


class Neighborhood(BaseModel):
    center: GraphNode
    depth: int
    filters: dict[str, Any]
    truncated: bool
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class HopEvidence(BaseModel):
    document: str
    title: str | None
    url: str | None
    publisher: str | None
    sentence: str
    stance: str
    attributed_to: str | None
    confidence: float = 1.0


class Hop(GraphEdge):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    evidence: list[HopEvidence] = []


class PathOut(BaseModel):
    length: int
    hops: list[Hop]


class Paths(BaseModel):
    source: str
    target: str
    filters: dict[str, Any]
    paths: list[PathOut]
    note: str | None = None


class NetworkOut(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool


# --- places, timeline, audit, users ------------------------------------------------------------

class Place(BaseModel):
    entity_id: int
    name: str
    type: str
    lat: float
    lon: float
    country: str | None
    claim_id: int | None = None  # when located by a located_in claim: that claim and its stance
    stance: str | None = None


class Country(BaseModel):
    entity_id: int
    name: str
    iso2: str | None
    claims: int


class Places(BaseModel):
    places: list[Place]
    countries: list[Country]


class TimelineItem(BaseModel):
    claim_id: int
    date: str | None
    subject: str
    subject_id: int
    predicate: str
    object: str
    object_id: int
    stance: str
    tactic: str | None
    documents: int
    alleged_by: list[str]
    denied_by: list[str]
    date_source: str | None = None  # date is an "event" date from the evidence, else a "published" day


class Timeline(BaseModel):
    items: list[TimelineItem]
    truncated: bool


class AuditEntry(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    target: str
    undone_by: int | None
    # an analyst's claim, edit or note: what the claim (or note) read before and after, by name
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class AuditId(BaseModel):
    audit_id: int


class UserOut(BaseModel):
    name: str
    role: str


class Me(BaseModel):
    user: UserOut | None
    csrf: str | None
    read_only: bool


class Health(BaseModel):
    ok: bool
    documents: int


# --- requests ----------------------------------------------------------------------------------

class ClaimReview(Strict):
    status: ReviewStatus
    predicate: PredicateName | None = None
    tactic: TacticName | None = None


class EntityReview(Strict):
    status: ReviewStatus
    name: Annotated[PlainText, Field(min_length=1, max_length=400)] | None = None
    type: EntityType | None = None


class Merge(Strict):
    keep: Id
    gone: Id


class Split(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": ["documents"], "properties": {"documents": {"minItems": 1}}},
        {"required": ["forms"], "properties": {"forms": {"minItems": 1}}}]})
    documents: Annotated[list[Annotated[PlainText, Field(max_length=300)]], Field(max_length=1000)] = []
    forms: Annotated[list[Annotated[PlainText, Field(max_length=400)]], Field(max_length=1000)] = []
    name: Annotated[PlainText, Field(min_length=1, max_length=400)] | None = None


Name = Annotated[PlainText, Field(min_length=1, max_length=400)]
EventDate = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]  # YYYY, YYYY-MM or YYYY-MM-DD


class ClaimCreate(Strict):
    """A claim an analyst reads in a sentence of a stored document (store/manual.py)."""

    document: Id
    sentence: Annotated[PlainText, Field(min_length=1, max_length=5000)]
    subject: Name
    subject_type: EntityType | None = None  # to create the subject when no entity has that name
    predicate: PredicateName
    object: Name
    object_type: EntityType | None = None
    stance: StanceName = "alleged"
    attributed_to: Annotated[PlainText, Field(max_length=400)] | None = None
    tactic: TacticName | None = None
    date: EventDate | None = None


class ClaimEdit(Strict):
    """New values for any of a claim's fields; "" clears a tactic, attribution or date. Stance,
    attribution and date change the evidence of `document` only when it is given."""

    subject: Name | None = None
    subject_type: EntityType | None = None
    predicate: PredicateName | None = None
    object: Name | None = None
    object_type: EntityType | None = None
    tactic: TacticName | Literal[""] | None = None
    stance: StanceName | None = None
    attributed_to: Annotated[PlainText, Field(max_length=400)] | None = None
    date: EventDate | Literal[""] | None = None
    document: Id | None = None


class ClaimChange(BaseModel):
    audit_id: int
    claim: ClaimOut
    subject_id: int  # the entities at its ends (the graph page opens at /graph?entity=ID)
    object_id: int


NoteKind = Literal["claim", "entity", "document"]


class NoteIn(Strict):
    kind: NoteKind
    ref: Id
    text: Annotated[PlainText, Field(min_length=1, max_length=10_000)]


class NoteOut(BaseModel):
    id: int
    kind: str
    ref_id: int
    text: str
    author: str
    created_at: str


class NoteAdded(BaseModel):
    audit_id: int
    note: NoteOut


SCREEN_MAX_CHARS = 100_000  # a few seconds of screening at most (its time grows with the text)


class ScreenRequest(Strict):
    text: Annotated[PlainText, Field(max_length=SCREEN_MAX_CHARS)]
    format: Literal["text", "whatsapp", "json", "eml"] = "text"
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class ErrorOut(BaseModel):
    detail: str
