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


_WHOLE = re.compile(r"([+-]?\d+)(?:\.0*)?")  # 12, or 12.0 as spreadsheets write it
_DECIMAL = re.compile(r"[+-]?\d*\.\d+")


def _names(rows: tuple[dict, ...], row_names: tuple[str, ...] | None) -> tuple[str, ...]:
    """How messages name each record: as given by the reader, else as the rows of a CSV
    file, whose header is row 1."""
    return row_names or tuple(f"row {n}" for n in range(2, len(rows) + 2))


def _int(name: str, where: str, field: str, value: str) -> int:
    text = str(value).strip()
    whole = _WHOLE.fullmatch(text)
    if whole:
        return _in_range(name, where, field, int(whole.group(1)))
    if _DECIMAL.fullmatch(text):
        raise InputFileError(name, f"{where}: {field} {text} is not a whole number.")
    raise InputFileError(name, f"{where}: {field} '{value}' is not a number.")


def _in_range(name: str, where: str, field: str, number: int) -> int:
    if not 1 <= number <= MAX_NUMBER:
        raise InputFileError(
            name,
            f"{where}: {field} {number} is out of range; recommendation and meeting "
            f"numbers must be positive integers up to {MAX_NUMBER}.",
        )
    return number


def _merged_into(
    name: str, where: str, value: str, meeting: int, *, column: str = "merged_into"
) -> tuple[int, int] | None:
    """A reference to a recommendation, MEETING.NUMBER or NUMBER (of ``meeting``), from the
    named column."""
    text = (value or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(?:(\d+)\s*[./:-]\s*)?(\d+)", text)
    if not match:
        raise InputFileError(
            name, f"{where}: {column} '{text}' should be MEETING.NUMBER, e.g. 4.12."
        )
    into_meeting = int(match.group(1)) if match.group(1) else meeting
    return (
        _in_range(name, where, "meeting", into_meeting),
        _in_range(name, where, column, int(match.group(2))),
    )


def _topic(name: str, where: str, value: str, reference: Reference) -> str:
    text = (value or "").strip()
    if text in reference.topics:
        return text
    topic = reference.topic_for_heading(text)
    if topic is None:
        error = UnknownTopicError(text, list(reference.topics))
        raise InputFileError(name, f"{where}: {error}")
    return topic


def recommendations_from_rows(
    name: str,
    rows: tuple[dict, ...],
    meta: DocumentMeta,
    reference: Reference,
    *,
    row_names: tuple[str, ...] | None = None,
) -> list[RecommendationDraft]:
    _require(name, rows, ("number", "topic", "text"))
    drafts: list[RecommendationDraft] = []
    seen: set[tuple[int, int]] = set()
    for where, row in zip(_names(rows, row_names), rows, strict=True):
        meeting = meta.meeting
        if row.get("meeting"):
            try:
                meeting = reference.meeting(row["meeting"]).number
            except IEGError as error:
                raise InputFileError(name, f"{where}: {error}") from error
        number = _int(name, where, "number", row["number"])
        status = (row.get("status") or "preliminary").strip().lower()
        if status not in STATUSES:
            raise InputFileError(
                name, f"{where}: status '{status}' is not one of {', '.join(STATUSES)}."
            )
        merged = _merged_into(name, where, row.get("merged_into", ""), meeting)
        if status == "merged" and merged is None:
            raise InputFileError(name, f"{where}: a merged recommendation needs merged_into.")
        if not row["text"]:
            raise InputFileError(name, f"{where}: the text is empty.")
        if (meeting, number) in seen:
            raise InputFileError(name, f"{where}: recommendation {meeting}.{number} repeats.")
        seen.add((meeting, number))
        drafts.append(
            RecommendationDraft(
                meeting,
                number,
                _topic(name, where, row["topic"], reference),
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
    *,
    row_names: tuple[str, ...] | None = None,
) -> list[CommentDraft]:
    number_column = "recommendation" if "recommendation" in rows[0] else "number"
    _require(name, rows, (number_column, "text"))
    drafts: list[CommentDraft] = []
    for where, row in zip(_names(rows, row_names), rows, strict=True):
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
            raise InputFileError(name, f"{where}: {error}") from error
        merged = _merged_into(
            name, where, row[number_column], meeting or meta.meeting, column=number_column
        )
        if merged is None:
            raise InputFileError(
                name,
                f"{where}: the {number_column} is missing; give the recommendation the "
                "comment is about as MEETING.NUMBER, e.g. 4.12.",
            )
        if not row["text"]:
            raise InputFileError(name, f"{where}: the comment text is empty.")
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
