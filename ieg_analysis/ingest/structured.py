"""Recommendations and comments: from numbered items under topic headings, or from
CSV/JSON records; and passages from CSV/JSON records of other kinds."""

from __future__ import annotations

import re

from ..errors import IEGError, InputFileError, UnknownTopicError
from ..records import (
    STATUSES,
    Actor,
    CommentDraft,
    DocumentMeta,
    PassageDraft,
    RecommendationDraft,
)
from ..reference import Reference
from .language import detect_language
from .metadata import parse_actor_type, parse_date, resolve_actor


def recommendations_from_passages(
    name: str, passages: list[PassageDraft], meta: DocumentMeta, reference: Reference
) -> list[RecommendationDraft]:
    """Numbered items under headings that name work-plan topics become recommendations."""
    drafts: list[RecommendationDraft] = []
    seen: set[int] = set()
    for passage in passages:
        topic = reference.topic_for_heading(passage.heading)
        if topic is None or not passage.para_number or not passage.para_number.isdigit():
            continue
        number = int(passage.para_number)
        if number in seen:
            raise InputFileError(name, f"recommendation number {number} appears twice.")
        seen.add(number)
        drafts.append(RecommendationDraft(meta.meeting, number, topic, passage.text))
    if not drafts:
        raise InputFileError(
            name,
            "no numbered recommendations were found under a heading that names a work-plan "
            "topic (e.g. 'II. Criminalization' followed by '1. Member States should ...').",
        )
    return drafts


def _require(name: str, rows: tuple[dict, ...], columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise InputFileError(
            name,
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(rows[0]) or 'none'}).",
        )


# the store keeps meeting and recommendation numbers as 32-bit integers
MAX_NUMBER = 2**31 - 1


def _int(name: str, row_no: int, field: str, value: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError as error:
        raise InputFileError(name, f"row {row_no}: {field} '{value}' is not a number.") from error
    return _in_range(name, row_no, field, number)


def _in_range(name: str, row_no: int, field: str, number: int) -> int:
    if not 1 <= number <= MAX_NUMBER:
        raise InputFileError(
            name,
            f"row {row_no}: {field} {number} is out of range; recommendation and meeting "
            f"numbers must be positive integers up to {MAX_NUMBER}.",
        )
    return number


def _merged_into(
    name: str, row_no: int, value: str, meeting: int, *, column: str = "merged_into"
) -> tuple[int, int] | None:
    """A reference to a recommendation, MEETING.NUMBER or NUMBER (of ``meeting``), from the
    named column."""
    text = (value or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(?:(\d+)\s*[./:-]\s*)?(\d+)", text)
    if not match:
        raise InputFileError(
            name, f"row {row_no}: {column} '{text}' should be MEETING.NUMBER, e.g. 4.12."
        )
    into_meeting = int(match.group(1)) if match.group(1) else meeting
    return (
        _in_range(name, row_no, "meeting", into_meeting),
        _in_range(name, row_no, column, int(match.group(2))),
    )


def _topic(name: str, row_no: int, value: str, reference: Reference) -> str:
    text = (value or "").strip()
    if text in reference.topics:
        return text
    topic = reference.topic_for_heading(text)
    if topic is None:
        error = UnknownTopicError(text, list(reference.topics))
        raise InputFileError(name, f"row {row_no}: {error}")
    return topic


def recommendations_from_rows(
    name: str, rows: tuple[dict, ...], meta: DocumentMeta, reference: Reference
) -> list[RecommendationDraft]:
    _require(name, rows, ("number", "topic", "text"))
    drafts: list[RecommendationDraft] = []
    seen: set[tuple[int, int]] = set()
    for row_no, row in enumerate(rows, start=2):
        meeting = meta.meeting
        if row.get("meeting"):
            try:
                meeting = reference.meeting(row["meeting"]).number
            except IEGError as error:
                raise InputFileError(name, f"row {row_no}: {error}") from error
        number = _int(name, row_no, "number", row["number"])
        status = (row.get("status") or "preliminary").strip().lower()
        if status not in STATUSES:
            raise InputFileError(
                name, f"row {row_no}: status '{status}' is not one of {', '.join(STATUSES)}."
            )
        merged = _merged_into(name, row_no, row.get("merged_into", ""), meeting)
        if status == "merged" and merged is None:
            raise InputFileError(name, f"row {row_no}: a merged recommendation needs merged_into.")
        if not row["text"]:
            raise InputFileError(name, f"row {row_no}: the text is empty.")
        if (meeting, number) in seen:
            raise InputFileError(name, f"row {row_no}: recommendation {meeting}.{number} repeats.")
        seen.add((meeting, number))
        drafts.append(
            RecommendationDraft(
                meeting,
                number,
                _topic(name, row_no, row["topic"], reference),
                row["text"],
                status,
                merged if status == "merged" else None,
            )
        )
    return drafts


def comments_from_rows(
    name: str,
    rows: tuple[dict, ...],
    meta: DocumentMeta,
    reference: Reference,
    observers: dict[str, Actor],
) -> list[CommentDraft]:
    number_column = "recommendation" if "recommendation" in rows[0] else "number"
    _require(name, rows, (number_column, "text"))
    drafts: list[CommentDraft] = []
    for row_no, row in enumerate(rows, start=2):
        try:
            meeting = reference.meeting(row["meeting"]).number if row.get("meeting") else None
            actor = meta.actor
            if row.get("submitter"):
                actor = resolve_actor(
                    row["submitter"],
                    reference=reference,
                    observers=observers,
                    actor_type=parse_actor_type(row.get("actor_type")),
                )
            received = parse_date(row.get("received")) or meta.received
        except IEGError as error:
            raise InputFileError(name, f"row {row_no}: {error}") from error
        merged = _merged_into(
            name, row_no, row[number_column], meeting or meta.meeting, column=number_column
        )
        if merged is None:
            raise InputFileError(
                name,
                f"row {row_no}: the {number_column} is missing; give the recommendation the "
                "comment is about as MEETING.NUMBER, e.g. 4.12.",
            )
        if not row["text"]:
            raise InputFileError(name, f"row {row_no}: the comment text is empty.")
        drafts.append(CommentDraft(merged[0], merged[1], actor, row["text"], received))
    return drafts


def passages_from_rows(
    name: str, rows: tuple[dict, ...], *, default_language: str = "und"
) -> list[PassageDraft]:
    _require(name, rows, ("text",))
    passages = []
    for row in rows:
        text = " ".join(row["text"].split())
        if not text:
            continue
        passages.append(
            PassageDraft(
                seq=len(passages) + 1,
                heading=row.get("heading") or None,
                para_number=row.get("para_number") or row.get("number") or None,
                text=text,
                language=detect_language(text, default=default_language),
            )
        )
    if not passages:
        raise InputFileError(name, "every row's text is empty.")
    return passages
