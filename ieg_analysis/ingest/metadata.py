"""Who sent a document, for which meeting, of which kind, when: validated and resolved."""

from __future__ import annotations

import difflib
from datetime import date, timedelta

from ..errors import InvalidValueError, UnknownSubmitterError
from ..records import KINDS, OBSERVER_TYPES, Actor, DocumentMeta
from ..reference import Reference, normalise_name

_KIND_ALIASES = {
    "submission": "written_submission",
    "written submission": "written_submission",
    "recommendations": "recommendation_list",
    "recommendation list": "recommendation_list",
    "recommendation": "recommendation_list",
}


def parse_kind(value: str) -> str:
    key = (value or "").strip().lower()
    kind = _KIND_ALIASES.get(key, key.replace("-", "_").replace(" ", "_"))
    if kind not in KINDS:
        raise InvalidValueError(f"'{value}' is not a document kind; use one of {', '.join(KINDS)}.")
    return kind


# no document of the Expert Group (first meeting: 2011) can be older: an earlier date is a typo
EARLIEST_DATE = date(2010, 1, 1)


def parse_date(value: str | date | None, *, field: str = "received date") -> date | None:
    """A date given as text (YYYY-MM-DD) or as a date; refused when after tomorrow (a typo
    that would count the document as years late; tomorrow: the sender's day may be ahead
    of the server's) or before :data:`EARLIEST_DATE`."""
    if value is None:
        return None
    if isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            day = date.fromisoformat(text[:10])
        except ValueError as error:
            raise InvalidValueError(
                f"The {field} '{text}' is not a date; write it as YYYY-MM-DD."
            ) from error
    if day > date.today() + timedelta(days=1):
        raise InvalidValueError(f"The {field} {day:%Y-%m-%d} is in the future.")
    if day < EARLIEST_DATE:
        raise InvalidValueError(
            f"The {field} {day:%Y-%m-%d} is before {EARLIEST_DATE:%Y-%m-%d}; the Expert Group "
            "first met in 2011."
        )
    return day


def parse_actor_type(value: str | None) -> str | None:
    text = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if not text:
        return None
    if text not in OBSERVER_TYPES:
        raise InvalidValueError(
            f"'{value}' is not an observer type; use one of {', '.join(OBSERVER_TYPES)}."
        )
    return text


def resolve_actor(
    name: str,
    *,
    reference: Reference,
    observers: dict[str, Actor],
    actor_type: str | None = None,
) -> Actor:
    """A State (by any of its names) or an observer: registered, or new with its type."""
    text = (name or "").strip()
    if not text:
        raise InvalidValueError("The submitter is missing; give a State or an observer name.")
    if actor_type is None:
        country = reference.find_country(text)
        if country is not None:
            kind = "member_state" if country.status == "member" else "observer_state"
            return Actor(country.name, kind, country.iso3)
    known = observers.get(normalise_name(text))
    if known is not None:
        return known
    if actor_type is not None:
        return Actor(" ".join(text.split()), actor_type, None)
    pool = {normalise_name(a.name): a.name for a in observers.values()}
    close = difflib.get_close_matches(normalise_name(text), list(pool), n=2, cutoff=0.6)
    suggestions = reference.suggest_countries(text, limit=2) + [pool[c] for c in close]
    raise UnknownSubmitterError(text, suggestions[:3])


def build_meta(
    *,
    meeting: object,
    submitter: str,
    kind: str,
    received: str | date | None,
    reference: Reference,
    observers: dict[str, Actor],
    actor_type: str | None = None,
    title: str | None = None,
) -> DocumentMeta:
    number = reference.meeting(meeting).number
    return DocumentMeta(
        meeting=number,
        actor=resolve_actor(
            submitter,
            reference=reference,
            observers=observers,
            actor_type=parse_actor_type(actor_type),
        ),
        kind=parse_kind(kind),
        received=parse_date(received),
        title=(title or "").strip() or None,
    )
