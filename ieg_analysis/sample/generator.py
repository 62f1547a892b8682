"""Deterministic generator of the illustrative sample corpus (text and metadata only).

The corpus imitates what the Secretariat of the Expert Group on Cybercrime receives
for meetings 4 to 7: written submissions and statements of States and observers,
the Rapporteur's preliminary recommendations (meetings 4 to 6), and the comments on
them sent before the stock-taking meeting. Every sentence is composed from the
templates and slot fillers in ``data/sample/phrasebank*.json``; all rates live in
``data/sample/profiles.json``. The text is invented and quotes no real submission.

The same ``seed`` and ``scale`` always give the same corpus: only ``random.Random``
instances seeded from ``seed`` are used, and nothing iterates over a set.

Regional patterns built in (probabilities per regional group in ``profiles.json``;
a need or offer is drawn once per topic section of a State document, so the share of
a group's States that express a need on a topic follows these rates):

- Needs on electronic evidence and law enforcement are concentrated in the African
  group (0.70-0.75 per section) and the Latin American and Caribbean group
  (0.60-0.65); both also express needs on international cooperation (about 0.5).
- Small island developing States of the Asia-Pacific group (M49 sub-regions
  Melanesia, Micronesia and Polynesia, plus a few listed island States) express
  needs on legislation (0.85) and criminalization (0.6); other Asia-Pacific States
  only about 0.2-0.3.
- Eastern European States express few needs (0.1-0.2) and offer some assistance
  (0.2-0.3); Western European and other States rarely express needs (0.03-0.05)
  and offer assistance in about half of their topic sections.
- Observers offer assistance: UNODC programmes (0.9), organizations (0.6), academia
  (0.4), private companies (0.3, but 0.9 on prevention).
- French-language documents come from francophone States, Spanish-language ones
  from Spanish-speaking States (each about 5 per cent of all documents).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "data" / "sample"
REFERENCE_DIR = ROOT / "data" / "reference"

TOPICS: tuple[str, ...] = (
    "legislation_frameworks",
    "criminalization",
    "law_enforcement",
    "electronic_evidence",
    "international_cooperation",
    "prevention",
)
MEETING_TOPICS: dict[int, tuple[str, ...]] = {
    4: TOPICS[0:2],
    5: TOPICS[2:4],
    6: TOPICS[4:6],
    7: TOPICS,
}
RECOMMENDATION_MEETINGS = (4, 5, 6)
STOCKTAKING_MEETING = 7
DEADLINE_DAYS = 21
LANGUAGES = ("en", "fr", "es")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
SENTENCES_PER_PARAGRAPH = ((1, 2, 3, 4, 5), (25, 35, 25, 10, 5))
STATUSES = ("adopted", "merged", "withdrawn", "preliminary")

_SLOT = re.compile(r"\{([^{}]+)\}")
Template = tuple[str, ...]


@dataclass(frozen=True)
class Section:
    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    key: str
    meeting: int
    submitter: str
    kind: str
    language: str
    received: date
    title: str
    sections: tuple[Section, ...]
    file_format: str


@dataclass(frozen=True)
class Recommendation:
    meeting: int
    topic: str
    number: int
    text: str
    status: str
    merged_into: tuple[int, int] | None


@dataclass(frozen=True)
class Comment:
    meeting: int
    number: int
    submitter: str
    received: date
    text: str


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    recommendations: tuple[Recommendation, ...]
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class Actor:
    name: str
    actor_type: str
    regional_group: str


@dataclass(frozen=True)
class _Submitter:
    code: str  # ISO3 for a State, the observer's name otherwise
    name: str
    actor_type: str  # "state" or an observer actor_type
    regional_group: str
    small_island: bool = False

    @property
    def is_state(self) -> bool:
        return self.actor_type == "state"


# --------------------------------------------------------------------------- data


def _compile(text: str) -> Template:
    return tuple(_SLOT.split(text))


def _compile_all(texts: Sequence[str]) -> tuple[Template, ...]:
    return tuple(_compile(text) for text in texts)


@dataclass(frozen=True)
class _Bank:
    """One language's phrasebank, with templates pre-split into literal/slot parts."""

    language: str
    raw: dict
    slots: dict[str, dict[str, tuple[Template, ...]]]  # topic -> slot -> fillers
    functions: dict[str, dict[str, tuple[Template, ...]]]  # topic -> function -> pool
    generic: dict[str, tuple[Template, ...]]
    contractions: tuple[tuple[re.Pattern[str], str], ...]  # e.g. French "de le" -> "du"


def _build_bank(raw: dict) -> _Bank:
    base_slots = {**raw["slots"], **raw.get("derived_slots", {})}
    slots: dict[str, dict[str, tuple[Template, ...]]] = {}
    functions: dict[str, dict[str, tuple[Template, ...]]] = {}
    for topic in TOPICS:
        spec = raw["topics"][topic]
        merged = {**base_slots, **spec.get("slots", {})}
        slots[topic] = {name: _compile_all(values) for name, values in merged.items()}
        pools: dict[str, tuple[Template, ...]] = {}
        for function, texts in raw["generic_topic"].items():
            pools[function] = _compile_all(texts + spec.get(function, []))
        for function, texts in spec.items():
            if function != "slots" and function not in pools:
                pools[function] = _compile_all(texts)
        functions[topic] = pools
    generic = {name: _compile_all(texts) for name, texts in raw["generic"].items()}
    contractions = tuple(
        (re.compile(pattern), replacement) for pattern, replacement in raw.get("contractions", [])
    )
    return _Bank(raw["language"], raw, slots, functions, generic, contractions)


@cache
def _bank(language: str) -> _Bank:
    name = "phrasebank.json" if language == "en" else f"phrasebank.{language}.json"
    with (SAMPLE_DIR / name).open(encoding="utf-8") as handle:
        return _build_bank(json.load(handle))


@cache
def _profiles() -> dict:
    with (SAMPLE_DIR / "profiles.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _countries() -> tuple[dict[str, str], ...]:
    with (REFERENCE_DIR / "countries.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(dict(row) for row in csv.DictReader(fh))


@cache
def _meeting_dates() -> dict[int, tuple[date, date]]:
    with (REFERENCE_DIR / "meetings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        int(row["number"]): (
            date.fromisoformat(row["start_date"]),
            date.fromisoformat(row["end_date"]),
        )
        for row in rows
    }


def load_actors() -> list[Actor]:
    """Observers (non-State submitters) from ``data/sample/actors.csv``."""
    groups = {row["iso3"]: row["regional_group"] for row in _countries()}
    with (SAMPLE_DIR / "actors.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Actor(row["name"], row["actor_type"], groups.get(row["country_iso3"], "")) for row in rows
    ]


@cache
def _states() -> tuple[_Submitter, ...]:
    profile = _profiles()
    island_subregions = profile["small_island_subregions"]
    island_iso3 = profile["small_island_iso3"]
    states = []
    for row in _countries():
        if row["status"] != "member" or not row["regional_group"]:
            continue
        island = row["regional_group"] == "Asia-Pacific" and (
            row["m49_subregion"] in island_subregions
            or row["m49_intermediate_region"] in island_subregions
            or row["iso3"] in island_iso3
        )
        states.append(_Submitter(row["iso3"], row["name"], "state", row["regional_group"], island))
    return tuple(sorted(states, key=lambda state: state.code))


@cache
def _observers() -> tuple[_Submitter, ...]:
    return tuple(
        _Submitter(actor.name, actor.name, actor.actor_type, actor.regional_group)
        for actor in load_actors()
    )


# States whose English name takes "the" in running text (UN usage: "the Parliament of the
# Russian Federation", "the Philippines considers")
_THE = frozenset(
    {
        "Bahamas", "Central African Republic", "Comoros", "Congo", "Czech Republic",
        "Dominican Republic", "Gambia", "Lao People's Democratic Republic", "Maldives",
        "Marshall Islands", "Niger", "Philippines", "Russian Federation", "Solomon Islands",
        "Sudan", "Syrian Arab Republic",
    }
)  # fmt: skip
_THE_PREFIXES = ("Democratic ", "Republic of ", "United ")


def prose_name(name: str) -> str:
    """A State's name as English running text writes it: "Iran (Islamic Republic of)" is
    "the Islamic Republic of Iran", "Russian Federation" is "the Russian Federation"."""
    if name.endswith(")") and " (" in name:
        short, long = name[:-1].split(" (", 1)
        return f"the {long} {short}"
    return f"the {name}" if name in _THE or name.startswith(_THE_PREFIXES) else name


# a sentence in which the writer pays or gives ("has funded", "finances", "has donated",
# "through its development agency", "has supported the review ... in 12 countries"): only a
# donor State writes it (not the nouns: "lacks multi-year funding" is a need any State has)
_FUNDS = re.compile(
    r"\b(?:funds|funded|is funding|finances|financed|donated|donate|contributed)\b"
    r"|experts and funding|development (?:cooperation )?agency|has supported the review"
)


@cache
def _funding_states() -> frozenset[str]:
    return frozenset(_profiles()["funding_states"]["iso3"])


@cache
def _pays(template: Template) -> bool:
    """The template's literal text says its writer pays or gives (once per template)."""
    return _FUNDS.search("".join(template[::2])) is not None


def _observer_prose(submitter: _Submitter) -> str:
    """An observer in running text: "the UNODC Global Programme on Cybercrime", "the
    University of Northbridge Cybercrime Lab"; a company keeps its bare name."""
    name = submitter.name
    if submitter.actor_type == "private_sector" or name.startswith("The "):
        return name
    return f"the {name}"


@cache
def _state_names() -> tuple[str, ...]:
    return tuple(prose_name(state.name) for state in _states())


# ------------------------------------------------------------------ text filling


class _Filler:
    """Fills compiled templates; context values win over random slot fillers."""

    def __init__(self, rng: random.Random, bank: _Bank) -> None:
        self.rng = rng
        self.bank = bank
        self.static: dict[str, str] = {}
        self.dynamic: dict[str, Callable[[], str]] = {}
        self.separator = "," if bank.language == "en" else "\u00a0"
        self._ranges: dict[str, tuple[int, int]] = {}

    def fill(self, template: Template, topic: str) -> str:
        text = self._expand(template, self.bank.slots[topic], topic)
        for pattern, replacement in self.bank.contractions:
            text = pattern.sub(replacement, text)
        return text[:1].upper() + text[1:]

    def _expand(self, template: Template, slots: dict, topic: str) -> str:
        if len(template) == 1:
            return template[0]
        parts = list(template)
        drawn: dict[str, set[str]] = {}
        for index in range(1, len(parts), 2):
            name = parts[index]
            value = self._slot(name, slots, topic)
            if name not in self.static:  # a slot used twice draws two different values
                for _ in range(5):  # ("the national unit and the national unit")
                    if value not in drawn.get(name, ()):
                        break
                    value = self._slot(name, slots, topic)
                drawn.setdefault(name, set()).add(value)
            parts[index] = value
        return "".join(parts)

    def _slot(self, name: str, slots: dict, topic: str) -> str:
        value = self.static.get(name)
        if value is not None:
            return value
        maker = self.dynamic.get(name)
        if maker is not None:
            return maker()
        if name[0] == "#":
            return self._number(name)
        return self._expand(self.rng.choice(slots[name]), slots, topic)

    def _number(self, name: str) -> str:
        bounds = self._ranges.get(name)
        if bounds is None:
            low, high = name[1:].split("-")
            bounds = self._ranges[name] = (int(low), int(high))
        number = self.rng.randint(*bounds)
        if number < 1000 or (self.separator != "," and number < 10000):
            return str(number)
        return f"{number:,}".replace(",", self.separator)

    def expand(self, template: Template, topic: str) -> str:
        return self._expand(template, self.bank.slots[topic], topic)

    def text(self, template: str, topic: str) -> str:
        return self.fill(_compile(template), topic)


# ------------------------------------------------------------- document content

_Paragraphs = list[tuple[bool, str]]  # (numbered, text)
_Draft = list[tuple[str | None, _Paragraphs]]  # (heading without number, paragraphs)


@dataclass
class _Writer:
    """Writes the sections of one document for one submitter and meeting."""

    rng: random.Random
    filler: _Filler
    submitter: _Submitter
    meeting: int
    profile: dict
    used: set[int] = field(default_factory=set)  # ids of templates used in this document

    @property
    def bank(self) -> _Bank:
        return self.filler.bank

    def paragraph(self, pool: Sequence[Template], topic: str, most: int = 5) -> str:
        if self.submitter.is_state and self.submitter.code not in _funding_states():
            pool = [t for t in pool if not _pays(t)] or pool
        counts, weights = SENTENCES_PER_PARAGRAPH
        count = min(most, self.rng.choices(counts, weights)[0])
        fresh = [template for template in pool if id(template) not in self.used]
        chosen = self.rng.sample(fresh or pool, min(count, len(fresh or pool)))
        self.used.update(id(template) for template in chosen)
        return " ".join(self.filler.fill(template, topic) for template in chosen)

    def heading(self, group: str, topic: str = TOPICS[0]) -> str:
        return self.filler.text(self.rng.choice(self.bank.raw["headings"][group]), topic)

    def topic_heading(self, topic: str) -> str:
        return self.rng.choice(self.bank.raw["headings"]["topics"][topic])

    def generic(self, name: str, count: int, topics: Sequence[str]) -> _Paragraphs:
        pool = self.bank.generic[name]
        return [(True, self.paragraph(pool, self.rng.choice(topics), 3)) for _ in range(count)]

    def _chance(self, table: str, topic: str) -> float:
        if self.submitter.small_island and table == "need":
            return self.profile["small_island_need"][topic]
        return self.profile[table][self.submitter.regional_group][topic]

    def _observer_offer_pool(self, topic: str) -> tuple[Template, ...]:
        if topic == "prevention" and self.submitter.actor_type == "private_sector":
            return self.bank.functions[topic]["private_offer"]
        return self.bank.generic["cb_offer_observer"]

    def _observer_offers(self, topic: str) -> bool:
        if topic == "prevention" and self.submitter.actor_type == "private_sector":
            return self.rng.random() < self.profile["private_sector_prevention_offer"]
        return self.rng.random() < self.profile["observer_offer"][self.submitter.actor_type]

    def functions(self, topic: str, count: int) -> list[str]:
        if not self.submitter.is_state:
            names = ["observer"] * count
            if self._observer_offers(topic):
                names[self.rng.randrange(count)] = "observer_offer"
            return names
        weights = self.profile["functions"]
        names = self.rng.choices(list(weights), list(weights.values()), k=count)
        if self.rng.random() < self._chance("need", topic):
            names[-1] = "need"
            if count > 3 and self.rng.random() < 0.3:
                names[-2] = "need"
        if self.rng.random() < self._chance("offer", topic):
            names[self.rng.randrange(max(1, count - 1))] = "offer"
        return names

    def pool(self, topic: str, function: str) -> tuple[Template, ...]:
        if function == "observer_offer":
            return self._observer_offer_pool(topic)
        return self.bank.functions[topic][function]

    def topic_section(self, topic: str, low: int, high: int) -> _Paragraphs:
        count = self.rng.randint(low, high)
        paragraphs = [
            (True, self.paragraph(self.pool(topic, name), topic))
            for name in self.functions(topic, count)
        ]
        if self.rng.random() < self.profile["off_topic_share"]:
            other = self.rng.choice([t for t in TOPICS if t != topic])
            name = self.functions(other, 1)[0]
            position = self.rng.randrange(len(paragraphs) + 1)
            paragraphs.insert(position, (True, self.paragraph(self.pool(other, name), other)))
        if self.rng.random() < self.profile["list_share"]:
            paragraphs.extend(self.itemized(topic))
        return paragraphs

    def itemized(self, topic: str) -> _Paragraphs:
        glue = self.bank.raw.get("sentence_glue")
        if glue is None:
            return []
        lead_key = "list_lead" if self.submitter.is_state else "list_lead_observer"
        items: _Paragraphs = [(True, self.filler.text(self.rng.choice(glue[lead_key]), topic))]
        function = "measure" if self.submitter.is_state else "observer"
        pool = self.bank.functions[topic][function]
        chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(2, 4)))
        for index, template in enumerate(chosen):
            items.append((False, f"({chr(97 + index)}) {self.filler.fill(template, topic)}"))
        return items

    def capacity_section(self, topics: Sequence[str]) -> _Paragraphs:
        if not self.submitter.is_state:
            return self.generic("cb_offer_observer", self.rng.randint(1, 2), topics)
        need = sum(self._chance("need", t) for t in topics) / len(topics)
        offer = sum(self._chance("offer", t) for t in topics) / len(topics)
        paragraphs: _Paragraphs = []
        if self.rng.random() < need:
            paragraphs += self.generic("cb_need", self.rng.randint(1, 2), topics)
        if self.rng.random() < offer:
            paragraphs += self.generic("cb_offer", self.rng.randint(1, 2), topics)
        return paragraphs

    def intro(self, kind: str, topics: Sequence[str]) -> _Paragraphs:
        if not self.submitter.is_state:
            name = "intro_observer"
        else:
            name = "intro_statement" if kind == "statement" else "intro"
        count = 1 if kind == "statement" else self.rng.randint(1, 2)
        return self.generic(name, count, topics)

    def closing(self, topics: Sequence[str]) -> _Paragraphs:
        name = "closing" if self.submitter.is_state else "closing_observer"
        return self.generic(name, self.rng.randint(1, 2), topics)

    def written_submission(self) -> _Draft:
        topics = MEETING_TOPICS[self.meeting]
        draft: _Draft = [(self.heading("introduction"), self.intro("written", topics))]
        if self.meeting == STOCKTAKING_MEETING:
            draft += self.stocktaking_sections()
        else:
            low, high = self.profile["paragraphs_per_topic_section"]
            for topic in topics:
                draft.append((self.topic_heading(topic), self.topic_section(topic, low, high)))
        if self.rng.random() < self.profile["capacity_section_share"]:
            capacity = self.capacity_section(topics)
            if capacity:
                draft.append((self.heading("capacity_building"), capacity))
        if self.rng.random() < self.profile["conclusions_share"]:
            draft.append((self.heading("conclusions"), self.closing(topics)))
        return draft

    def stocktaking_sections(self) -> _Draft:
        draft: _Draft = []
        if self.submitter.is_state:
            count = self.rng.randint(2, 5)
            draft.append((self.heading("stocktaking"), self.generic("stocktaking", count, TOPICS)))
        for topic in self.rng.sample(TOPICS, self.rng.randint(1, 2)):
            draft.append((self.topic_heading(topic), self.topic_section(topic, 2, 4)))
        if self.submitter.is_state:
            count = self.rng.randint(2, 5)
            draft.append((self.heading("future_work"), self.generic("future_work", count, TOPICS)))
        return draft

    def statement(self) -> _Draft:
        topics = MEETING_TOPICS[self.meeting]
        topic = self.rng.choice(topics)
        low, high = self.profile["statement_paragraphs"]
        if self.meeting == STOCKTAKING_MEETING and self.submitter.is_state:
            name = self.rng.choice(("future_work", "stocktaking"))
            body = self.generic(name, self.rng.randint(low - 2, high - 2), TOPICS)
            heading = self.heading(name)
        else:
            label = _topic_labels(self.bank.language)[topic]
            self.filler.static["topic_label"] = label
            self.filler.static["topic_label_lower"] = label.lower()
            body = self.topic_section(topic, low - 2, high - 2)
            heading = self.heading("statement_body", topic)
        return [
            (None, self.intro("statement", topics)),
            (heading, body),
            (None, self.closing(topics)),
        ]


def _topic_labels(language: str) -> dict[str, str]:
    headings = _bank(language).raw["headings"]["topics"]
    return {topic: headings[topic][0] for topic in TOPICS}


def _clamp(draft: _Draft, writer: _Writer, low: int = 5, high: int = 30) -> _Draft:
    total = sum(len(paragraphs) for _, paragraphs in draft)
    while total > high:
        longest = max(draft, key=lambda section: len(section[1]))
        longest[1].pop()
        total -= 1
    body = draft[-1][1] if len(draft) == 1 else draft[1][1]
    while total < low:
        topic = writer.rng.choice(MEETING_TOPICS[writer.meeting])
        function = writer.functions(topic, 1)[0]
        body.append((True, writer.paragraph(writer.pool(topic, function), topic)))
        total += 1
    return [(heading, paragraphs) for heading, paragraphs in draft if paragraphs]


def _finish(draft: _Draft, rng: random.Random, *, numbered: bool) -> tuple[Section, ...]:
    style = rng.choice(("roman", "roman", "letter", "plain"))
    sections = []
    number = 0
    heading_index = 0
    for heading, paragraphs in draft:
        if heading is not None:
            if style == "roman":
                heading = f"{ROMAN[heading_index % len(ROMAN)]}. {heading}"
            elif style == "letter":
                heading = f"{chr(65 + heading_index % 26)}. {heading}"
            heading_index += 1
        texts = []
        for is_numbered, text in paragraphs:
            if numbered and is_numbered:
                number += 1
                text = f"{number}. {text}"
            texts.append(text)
        sections.append(Section(heading, tuple(texts)))
    return tuple(sections)


# ------------------------------------------------------------------ the planning


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _language(rng: random.Random, submitter: _Submitter, profile: dict) -> str:
    if not submitter.is_state:
        return "en"
    for language in LANGUAGES[1:]:
        if submitter.code in _bank(language).raw["state_names"]:
            if rng.random() < profile["languages"][language]:
                return language
    return "en"


def _context(filler: _Filler, submitter: _Submitter, meeting: int) -> None:
    rng = filler.rng
    bank = filler.bank
    year = _meeting_dates()[meeting][0].year
    ordinals = bank.raw["ordinals"]
    prose = prose_name(submitter.name) if submitter.is_state else _observer_prose(submitter)
    filler.static = {
        "actor": prose,
        "state": prose,
        "meeting_ord": ordinals[str(meeting)],
    }
    names = bank.raw.get("state_names", {}).get(submitter.code)
    if names is not None:
        filler.static.update(state=names[0], actor=names[0], state_de=names[1])
        filler.static["actor_de"] = names[1]
    filler.dynamic = {
        "recent_year": lambda: str(rng.randint(year - 3, year - 1)),
        "law_year": lambda: str(rng.randint(1996, year - 1)),
        "old_year": lambda: str(rng.randint(year - 9, year - 4)),
        "next_year": lambda: str(rng.randint(year + 1, year + 3)),
        "meeting_ord_prev": lambda: ordinals[str(rng.choice(RECOMMENDATION_MEETINGS))],
    }
    # a State is assisted by, joins and cites the organisations and instruments of its region
    for slot, by_group in bank.raw.get("region_slots", {}).items():
        options = by_group.get(submitter.regional_group) if slot != "_note" else None
        if options:
            filler.dynamic[slot] = _chooser(rng, tuple(options))
    if bank.language == "en":
        partners = _state_names()
        hints = bank.raw["region_hints"]
        group_hints = hints.get(submitter.regional_group) or [
            hint for values in hints.values() for hint in values
        ]
        filler.dynamic["partner"] = lambda: _partner(rng, partners, prose)
        filler.dynamic["region_hint"] = lambda: rng.choice(group_hints)
    else:
        own = names or ()
        for key in ("partner", "partner_de"):
            options = tuple(x for x in bank.raw["slots"].get(key, ()) if x not in own)
            if options:
                filler.dynamic[key] = _chooser(rng, options)


def _chooser(rng: random.Random, options: Sequence[str]) -> Callable[[], str]:
    return lambda: rng.choice(options)


def _partner(rng: random.Random, names: Sequence[str], own: str) -> str:
    name = rng.choice(names)
    while name == own:
        name = rng.choice(names)
    return name


def _select_states(rng: random.Random, profile: dict) -> list[_Submitter]:
    states = _states()
    chosen = [s for s in states if rng.random() < profile["participation"][s.regional_group]]
    rest = [s for s in states if s not in chosen]
    while len(chosen) < 110 and rest:
        chosen.append(rest.pop(rng.randrange(len(rest))))
    return sorted(chosen, key=lambda state: state.code)


def _participants(rng: random.Random, profile: dict) -> dict[int, list[_Submitter]]:
    """Submitters per meeting, those whose 'home' meeting it is first."""
    states = _select_states(rng, profile)
    observers = list(_observers())
    meetings = tuple(MEETING_TOPICS)
    home: dict[int, list[_Submitter]] = {m: [] for m in meetings}
    extra: dict[int, list[_Submitter]] = {m: [] for m in meetings}
    for submitter in states + observers:
        first = rng.choices(meetings, (1.0, 1.0, 1.0, 0.5))[0]
        home[first].append(submitter)
        share = profile["meeting_share" if submitter.is_state else "observer_meeting_share"]
        for meeting in meetings:
            if meeting != first and rng.random() < share:
                extra[meeting].append(submitter)
    plan = {}
    for meeting in meetings:
        rng.shuffle(home[meeting])
        rng.shuffle(extra[meeting])
        plan[meeting] = home[meeting] + extra[meeting]
    return plan


def _received(rng: random.Random, meeting: int, kind: str, profile: dict) -> date:
    first, last = _meeting_dates()[meeting]
    if kind == "statement":
        return first + timedelta(days=rng.randint(0, (last - first).days))
    deadline = first - timedelta(days=DEADLINE_DAYS)
    if rng.random() < profile["late_share"]:
        return deadline + timedelta(days=rng.randint(1, DEADLINE_DAYS - 1))
    return deadline - timedelta(days=rng.randint(0, profile["early_window_days"]))


def _title(rng: random.Random, filler: _Filler, kind: str) -> str:
    return filler.text(rng.choice(filler.bank.raw["titles"][kind]), TOPICS[0])


def _file_format(rng: random.Random, profile: dict) -> str:
    formats = profile["file_formats"]
    return rng.choices(list(formats), list(formats.values()))[0]


class _Keys:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, meeting: int, submitter: _Submitter, kind: str) -> str:
        code = submitter.code if submitter.is_state else _slug(submitter.name)
        stem = f"m{meeting}-{code}-{kind.replace('_', '-')}"
        self.counts[stem] = self.counts.get(stem, 0) + 1
        return f"{stem}-{self.counts[stem]}"


def _document(
    rng: random.Random,
    submitter: _Submitter,
    meeting: int,
    kind: str,
    key: str,
    profile: dict,
) -> Document:
    language = _language(rng, submitter, profile)
    filler = _Filler(rng, _bank(language))
    _context(filler, submitter, meeting)
    writer = _Writer(rng, filler, submitter, meeting, profile)
    draft = writer.statement() if kind == "statement" else writer.written_submission()
    numbered = kind != "statement" and rng.random() < 0.85
    return Document(
        key=key,
        meeting=meeting,
        submitter=submitter.code,
        kind=kind,
        language=language,
        received=_received(rng, meeting, kind, profile),
        title=_title(rng, filler, kind),
        sections=_finish(_clamp(draft, writer), rng, numbered=numbered),
        file_format=_file_format(rng, profile),
    )


def _meeting_documents(
    rng: random.Random,
    meeting: int,
    participants: list[_Submitter],
    scale: float,
    keys: _Keys,
) -> Iterator[Document]:
    profile = _profiles()
    counts = profile["documents_per_meeting"][str(meeting)]
    written = round(counts["written_submission"] * scale)
    statements = round(counts["statement"] * scale)
    states = [p for p in participants if p.is_state]
    for index in range(written + statements):
        if index < written:
            kind = "written_submission"
            pick = participants[index] if index < len(participants) else None
            submitter = pick or rng.choice(participants)
        else:
            kind = "statement"
            submitter = rng.choice(states if rng.random() < 0.9 else participants)
        key = keys.next(meeting, submitter, kind)
        yield _document(rng, submitter, meeting, kind, key, profile)


def iter_documents(*, seed: int = 2018, scale: float = 1.0) -> Iterator[Document]:
    """Yield the sample documents one by one (memory stays bounded at any scale)."""
    rng = random.Random(seed)
    plan = _participants(rng, _profiles())
    keys = _Keys()
    for meeting in MEETING_TOPICS:
        yield from _meeting_documents(rng, meeting, plan[meeting], scale, keys)
    recommendations = _recommendations(seed)
    comments = _comments(seed, recommendations, plan)
    yield from _comment_documents(seed, comments, recommendations, keys)


def generate(*, seed: int = 2018, scale: float = 1.0) -> Corpus:
    """The whole sample corpus: documents, recommendations and comments."""
    rng = random.Random(seed)
    plan = _participants(rng, _profiles())
    recommendations = _recommendations(seed)
    return Corpus(
        documents=tuple(iter_documents(seed=seed, scale=scale)),
        recommendations=recommendations,
        comments=_comments(seed, recommendations, plan),
    )


# ------------------------------------------------- recommendations and comments

_Draft_rec = tuple[str, str, str]  # (actor kind, body, tail)


def _rec_text(rng: random.Random, raw: dict, actor: str, body: str, tail: str) -> str:
    opener = rng.choice(raw[f"openers_{actor}"])
    return f"{opener} {body}{tail}."


def _fresh_recommendations(
    filler: _Filler, topic: str, count: int, seen: set[str]
) -> list[tuple[str, str, str, str]]:
    rng = filler.rng
    raw = filler.bank.raw["recommendations"]
    share = _profiles()["recommendations"]["unodc_share"]
    fresh: list[tuple[str, str, str, str]] = []
    while len(fresh) < count:
        actor = "unodc" if rng.random() < share else "states"
        body = filler.expand(_compile(rng.choice(raw[f"bodies_{actor}"][topic])), topic)
        tail = rng.choice(raw[f"tails_{actor}"])
        text = _rec_text(rng, raw, actor, body, tail)
        if text not in seen:
            seen.add(text)
            fresh.append((actor, body, tail, text))
    return fresh


def _near_duplicate(
    rng: random.Random, raw: dict, source: tuple[str, str, str, str], seen: set[str]
) -> str:
    actor, body, tail, _ = source
    for _ in range(50):
        text = _rec_text(rng, raw, actor, body, rng.choice(raw[f"tails_{actor}"]))
        if text not in seen:
            seen.add(text)
            return text
    text = f"{_rec_text(rng, raw, actor, body, tail)[:-1]}, as appropriate."
    seen.add(text)
    return text


def _status_quota(count: int, rng: random.Random) -> list[str]:
    """The outcomes of one topic's ``count`` recommendations: the profile's shares, each
    drawn between 0.5 and 1.5 times its weight so that topics differ (a stock-taking meeting
    merges more on one topic and withdraws more on another)."""
    weights = _profiles()["recommendations"]["status_weights"]
    quota = {
        status: round(weights[status] * count * rng.uniform(0.5, 1.5)) for status in STATUSES[1:]
    }
    quota["adopted"] = count - sum(quota.values())
    return [status for status in STATUSES for _ in range(quota[status])]


def _recommendations(seed: int) -> tuple[Recommendation, ...]:
    rng = random.Random(f"recommendations-{seed}")
    filler = _Filler(rng, _bank("en"))
    raw = filler.bank.raw["recommendations"]
    settings = _profiles()["recommendations"]
    per_topic = settings["per_topic"]
    seen: set[str] = set()
    result: list[Recommendation] = []
    adopted: dict[str, list[tuple[tuple[str, str, str, str], int, int]]] = {}
    for meeting in RECOMMENDATION_MEETINGS:
        number = 0
        for topic in MEETING_TOPICS[meeting]:
            statuses = _status_quota(per_topic, rng)
            merged_count = statuses.count("merged")
            fresh = _fresh_recommendations(filler, topic, per_topic - merged_count, seen)
            own = [s for s in statuses if s != "merged"]
            rng.shuffle(own)
            entries: list[tuple[str, str, tuple[str, str, str, str] | None]] = []
            for item, status in zip(fresh, own, strict=True):
                entries.append((item[3], status, item if status == "adopted" else None))
            targets = [entry for entry in entries if entry[1] == "adopted"]
            for _ in range(merged_count):
                target = rng.choice(targets)
                assert target[2] is not None
                entries.append((_near_duplicate(rng, raw, target[2], seen), "merged", target[2]))
            rng.shuffle(entries)
            numbers = {}
            for text, _status, _source in entries:
                number += 1
                numbers[text] = number
            for text, status, source in entries:
                merged_into = None
                if status == "merged" and source is not None:
                    merged_into = (meeting, numbers[source[3]])
                elif status == "adopted" and source is not None:
                    adopted.setdefault(topic, []).append((source, meeting, numbers[text]))
                result.append(
                    Recommendation(meeting, topic, numbers[text], text, status, merged_into)
                )
        if meeting != RECOMMENDATION_MEETINGS[0]:
            earlier = [t for m in RECOMMENDATION_MEETINGS if m < meeting for t in MEETING_TOPICS[m]]
            for _ in range(settings["cross_meeting_duplicates"]):
                topic = rng.choice(earlier)
                source, target_meeting, target_number = rng.choice(adopted[topic])
                number += 1
                text = _near_duplicate(rng, raw, source, seen)
                result.append(
                    Recommendation(
                        meeting, topic, number, text, "merged", (target_meeting, target_number)
                    )
                )
    return tuple(result)


def _reference(recommendation: Recommendation, ordinals: dict[str, str]) -> str:
    return f"{recommendation.number} ({ordinals[str(recommendation.meeting)]} meeting)"


def _submitters(plan: dict[int, list[_Submitter]]) -> list[_Submitter]:
    unique = {s.code: s for meeting in sorted(plan) for s in plan[meeting]}
    return [unique[code] for code in sorted(unique)]


def _comments(
    seed: int,
    recommendations: Sequence[Recommendation],
    plan: dict[int, list[_Submitter]],
) -> tuple[Comment, ...]:
    rng = random.Random(f"comments-{seed}")
    settings = _profiles()["recommendations"]
    start, end = (date.fromisoformat(day) for day in settings["comment_window"])
    submitters = rng.sample(_submitters(plan), settings["comment_submitters"])
    filler = _Filler(rng, _bank("en"))
    ordinals = filler.bank.raw["ordinals"]
    pool = filler.bank.generic["comment"]
    comments = []
    for submitter in submitters:
        _context(filler, submitter, STOCKTAKING_MEETING)
        low, high = settings["comments_per_submitter"]
        chosen = rng.sample(list(recommendations), rng.randint(low, high))
        for rec in sorted(chosen, key=lambda r: (r.meeting, r.number)):
            siblings = [r for r in recommendations if r.topic == rec.topic and r != rec]
            filler.static["ref"] = _reference(rec, ordinals)
            # "merge with" / "duplicates": the sibling closest in wording
            filler.static["ref2"] = _reference(_closest(rec, siblings), ordinals)
            received = start + timedelta(days=rng.randint(0, (end - start).days))
            fitting = [t for t in pool if _comment_fits(t, rec, submitter)]
            template = rng.choice(fitting or pool)
            # a comment's subject is what the recommendation is about, when it names one;
            # what it proposes to add is something the recommendation does not name
            named = _named_subject(filler.bank, rec)
            if "adding a reference" in "".join(template[::2]):
                others = _other_subjects(filler.bank, rec)
                named = rng.choice(others) if others else None
            if named:
                filler.static["subject"] = named
            text = filler.fill(template, rec.topic)
            filler.static.pop("subject", None)
            comments.append(Comment(rec.meeting, rec.number, submitter.code, received, text))
    return tuple(comments)


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower()) if len(word) > 3}


def _closest(rec: Recommendation, siblings: Sequence[Recommendation]) -> Recommendation:
    """The sibling whose wording shares most words with ``rec`` (Jaccard), the first on ties."""
    words = _words(rec.text)

    def overlap(other: Recommendation) -> float:
        theirs = _words(other.text)
        return len(words & theirs) / len(words | theirs)

    return max(siblings, key=overlap)


def _subject_phrases(
    bank: _Bank, topic: str, keys: Sequence[str] = ("subject", "offence")
) -> list[str]:
    """The topic's plain (slot-free) phrases of the given slots."""
    slots = bank.raw["topics"][topic]["slots"]
    return [p for key in keys for p in slots.get(key, []) if "{" not in p]


def _named_subject(bank: _Bank, rec: Recommendation) -> str | None:
    """The topic's subject or offence phrase that the recommendation's text contains."""
    text = rec.text.lower()
    phrases = sorted(_subject_phrases(bank, rec.topic), key=len, reverse=True)
    return next((p for p in phrases if p.lower() in text), None)


def _other_subjects(bank: _Bank, rec: Recommendation) -> list[str]:
    """The topic's subject phrases the recommendation does not name."""
    text = rec.text.lower()
    return [p for p in _subject_phrases(bank, rec.topic, ("subject",)) if p.lower() not in text]


def _comment_fits(template: Template, rec: Recommendation, submitter: _Submitter) -> bool:
    """A comment that makes sense for this recommendation and this submitter: only States
    take positions on a new instrument; "replace 'should'" needs a "should"; a call for human
    rights safeguards is not made on a text that already has them."""
    literal = "".join(template[::2])
    if "cannot support" in literal and not submitter.is_state:
        return False
    if '"should"' in literal and "should" not in rec.text:
        return False
    return not ("human rights" in literal and "human rights" in rec.text.lower())


def _comment_documents(
    seed: int,
    comments: Sequence[Comment],
    recommendations: Sequence[Recommendation],
    keys: _Keys,
) -> Iterator[Document]:
    rng = random.Random(f"comment-documents-{seed}")
    profile = _profiles()
    by_code = {s.code: s for s in _states() + _observers()}
    topics = {(r.meeting, r.number): r.topic for r in recommendations}
    grouped: dict[str, list[Comment]] = {}
    for comment in comments:
        grouped.setdefault(comment.submitter, []).append(comment)
    for code, own in grouped.items():
        submitter = by_code[code]
        filler = _Filler(rng, _bank("en"))
        _context(filler, submitter, STOCKTAKING_MEETING)
        writer = _Writer(rng, filler, submitter, STOCKTAKING_MEETING, profile)
        general = writer.generic("comment_general", max(2, 5 - len(own)), TOPICS)
        draft: _Draft = [(writer.heading("general_comments"), general)]
        heading = writer.rng.choice(filler.bank.raw["headings"]["recommendation"])
        for comment in own:
            filler.static["number"] = str(comment.number)
            filler.static["meeting"] = str(comment.meeting)
            filler.static["meeting_ord"] = filler.bank.raw["ordinals"][str(comment.meeting)]
            topic = topics[(comment.meeting, comment.number)]
            draft.append((filler.text(heading, topic), [(True, comment.text)]))
        yield Document(
            key=keys.next(STOCKTAKING_MEETING, submitter, "comment"),
            meeting=STOCKTAKING_MEETING,
            submitter=code,
            kind="comment",
            language="en",
            received=max(comment.received for comment in own),
            title=_title(rng, filler, "comment"),
            sections=_finish(draft, rng, numbered=True),
            file_format=_file_format(rng, profile),
        )
