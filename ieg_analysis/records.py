"""Records that flow from ingestion into the store (shared by both layers; no logic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("written_submission", "statement", "recommendation_list", "comment")
ACTOR_TYPES = (
    "member_state",
    "observer_state",
    "organization",
    "private_sector",
    "academia",
    "unodc",
)
OBSERVER_TYPES = ("organization", "private_sector", "academia", "unodc")
STATUSES = ("preliminary", "adopted", "merged", "withdrawn")
# The six work-plan topic ids, in work-plan order. They are also column names of the
# classification tables (migration 002), so they are fixed here; a test checks that
# data/reference/topics.csv names the same ids.
TOPIC_IDS = (
    "legislation_frameworks",
    "criminalization",
    "law_enforcement",
    "electronic_evidence",
    "international_cooperation",
    "prevention",
)
CAPACITY_LABELS = ("need", "provision", "none")
# The genre of training passages made from reviewers' label corrections (``ieg train
# --with-corrections``): always in the training split, never held out by the cross-validation folds.
CORRECTION_GENRE = "correction"

# a topic is "thinly covered" by the recommendations when its coverage ratio is below this
# (at least a fifth fewer recommendations than its weight in the submissions would give it);
# here, not in analytics, because the coverage chart names it too
THIN_RATIO = 0.8


@dataclass(frozen=True)
class Block:
    """A piece of text as a reader found it: a line (PDF, text) or a paragraph (DOCX)."""

    text: str
    page: int | None = None
    style: str = "line"  # "line" | "para" | "heading" | "blank" | "pagebreak"


@dataclass(frozen=True)
class RawDocument:
    blocks: tuple[Block, ...]
    n_pages: int | None = None
    rows: tuple[dict, ...] | None = None  # CSV/JSON records, when the file is tabular
    # how messages name each record: "row 2" (a CSV line after the header), "item 1" (the
    # first object of a JSON list); None names them as CSV rows
    row_names: tuple[str, ...] | None = None


@dataclass(frozen=True)
class PassageDraft:
    seq: int
    heading: str | None
    para_number: str | None
    text: str
    language: str
    page: int | None = None


@dataclass(frozen=True)
class Actor:
    name: str
    actor_type: str
    country_iso3: str | None = None


@dataclass(frozen=True)
class DocumentMeta:
    meeting: int
    actor: Actor
    kind: str
    received: date | None = None
    title: str | None = None


@dataclass(frozen=True)
class RecommendationDraft:
    meeting: int
    number: int
    topic_id: str | None
    text: str
    status: str = "preliminary"
    merged_into: tuple[int, int] | None = None


@dataclass(frozen=True)
class CommentDraft:
    meeting: int
    number: int
    actor: Actor
    text: str
    received: date | None = None


@dataclass
class ParsedDocument:
    source_name: str
    source_format: str
    content_hash: str
    meta: DocumentMeta
    passages: list[PassageDraft]
    language: str | None
    n_pages: int | None = None
    recommendations: list[RecommendationDraft] = field(default_factory=list)
    comments: list[CommentDraft] = field(default_factory=list)
    is_sample: bool = False
