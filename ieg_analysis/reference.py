"""Reference data: States, regions, meetings, work-plan topics (files in ``data/reference``).

Nothing here is a Python literal: the tables are CSV files, read once and cached.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .errors import UnknownCountryError, UnknownMeetingError, UnknownTopicError
from .settings import REFERENCE_DIR

REGIONAL_GROUPS = (
    "African",
    "Asia-Pacific",
    "Eastern European",
    "Latin American and Caribbean",
    "Western European and other",
)
REGION_SCHEMES = {
    "regional_group": "UN regional group",
    "m49_region": "M49 region",
    "m49_subregion": "M49 sub-region",
}


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    m49_code: str
    name: str
    status: str  # "member" | "observer"
    regional_group: str  # "" for the Holy See
    m49_region: str
    m49_subregion: str
    m49_intermediate_region: str


@dataclass(frozen=True)
class Meeting:
    number: int
    name: str
    start_date: date
    end_date: date
    stocktaking: bool
    note: str
    agenda: str = ""


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    short_label: str
    meeting: int
    ordinal: int
    heading_aliases: tuple[str, ...]


def normalise_name(text: str) -> str:
    """Fold case, accents, punctuation and a leading "the" so that spellings compare equal."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = folded.replace("&", " and ")
    folded = re.sub(r"[^\w]+", " ", folded).strip()
    return re.sub(r"^the ", "", folded)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Reference:
    """The reference tables and the look-ups over them."""

    def __init__(self, directory: Path = REFERENCE_DIR) -> None:
        self.directory = directory
        self.countries: dict[str, Country] = {
            row["iso3"]: Country(**{k: (v or "").strip() for k, v in row.items()})
            for row in _read_csv(directory / "countries.csv")
        }
        self.meetings: dict[int, Meeting] = {}
        for row in _read_csv(directory / "meetings.csv"):
            meeting = Meeting(
                number=int(row["number"]),
                name=row["name"],
                start_date=date.fromisoformat(row["start_date"]),
                end_date=date.fromisoformat(row["end_date"]),
                stocktaking=row["stocktaking"].strip().lower() == "true",
                note=row["note"],
                agenda=row.get("agenda", "") or "",
            )
            self.meetings[meeting.number] = meeting
        self.topics: dict[str, Topic] = {}
        for row in _read_csv(directory / "topics.csv"):
            aliases = tuple(a.strip() for a in row["heading_aliases"].split("|") if a.strip())
            self.topics[row["id"]] = Topic(
                id=row["id"],
                label=row["label"],
                short_label=row["short_label"],
                meeting=int(row["meeting"]),
                ordinal=int(row["ordinal"]),
                heading_aliases=aliases,
            )
        rules = {row["rule"]: row["value"] for row in _read_csv(directory / "workplan.csv")}
        self.deadline_days = int(rules["submission_deadline_days_before_meeting"])
        self._names = self._name_index(directory / "country_aliases.csv")
        self._topic_headings = sorted(
            (
                (normalise_name(alias), topic.id)
                for topic in self.topics.values()
                for alias in (*topic.heading_aliases, topic.label, topic.id.replace("_", " "))
            ),
            key=lambda pair: -len(pair[0]),
        )

    def _name_index(self, aliases_path: Path) -> dict[str, str]:
        index: dict[str, str] = {}
        for country in self.countries.values():
            index[normalise_name(country.name)] = country.iso3
        if aliases_path.is_file():
            for row in _read_csv(aliases_path):
                key = normalise_name(row["alias"])
                if key and row["iso3"] in self.countries:
                    index.setdefault(key, row["iso3"])
        return index

    # States -----------------------------------------------------------------------------
    def resolve_country(self, name: str) -> Country:
        """The State a name, alias or ISO3 code refers to; unknown names suggest the closest."""
        text = (name or "").strip()
        if text.upper() in self.countries and len(text) == 3:
            return self.countries[text.upper()]
        iso3 = self._names.get(normalise_name(text))
        if iso3 is None:
            raise UnknownCountryError(text, self.suggest_countries(text))
        return self.countries[iso3]

    def find_country(self, name: str) -> Country | None:
        """Like :meth:`resolve_country`, but ``None`` for an unknown name."""
        try:
            return self.resolve_country(name)
        except UnknownCountryError:
            return None

    def suggest_countries(self, name: str, *, limit: int = 3) -> list[str]:
        key = normalise_name(name)
        close = difflib.get_close_matches(key, list(self._names), n=limit * 3, cutoff=0.6)
        names: list[str] = []
        for match in close:
            official = self.countries[self._names[match]].name
            if official not in names:
                names.append(official)
        return names[:limit]

    def name_variants(self) -> dict[str, str]:
        """Every normalised name and alias with the ISO3 it stands for (for matchers)."""
        return dict(self._names)

    # Meetings and topics -----------------------------------------------------------------
    def meeting(self, number: object) -> Meeting:
        try:
            key = int(str(number).strip())
        except (TypeError, ValueError):
            key = None
        if key not in self.meetings:
            raise UnknownMeetingError(number, sorted(self.meetings))
        return self.meetings[key]

    def deadline(self, number: int) -> date:
        """The last day for written submissions: three weeks before the meeting opens."""
        return self.meeting(number).start_date - timedelta(days=self.deadline_days)

    def topic(self, topic_id: str) -> Topic:
        if topic_id not in self.topics:
            raise UnknownTopicError(topic_id, list(self.topics))
        return self.topics[topic_id]

    def topic_for_heading(self, heading: str | None) -> str | None:
        """The work-plan topic a heading names (e.g. "II. Criminalization"), if any."""
        if not heading:
            return None
        key = " " + normalise_name(_strip_numbering(heading)) + " "
        for alias, topic_id in self._topic_headings:
            if f" {alias} " in key:
                return topic_id
        return None


def _strip_numbering(heading: str) -> str:
    return re.sub(r"^\s*(?:[IVXLC]+|[A-Z]|\d+)[.)]\s+", "", heading)


@functools.lru_cache(maxsize=4)
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """The reference tables of ``directory``, read once per process."""
    return Reference(directory)
