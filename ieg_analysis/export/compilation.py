"""The Secretariat's compilation of the written submissions to a meeting (work plan,
annotation 4), as data: passages grouped by work-plan topic and then by submitter, each
with its source; the contributors by regional group; the submissions received after the
deadline (three weeks before the meeting opens). The DOCX and PDF writers lay it out.

Topic grouping comes from the topic labels of ``v_passage`` (the current model version;
human corrections, once stored, win there). A passage labelled with several topics is
placed under the one with the highest score (``mode="primary"``) or repeated under each
(``mode="each"``); passages with no topic label are compiled in a last section, so that
nothing submitted is left out.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import pandas as pd

from ..analytics.filters import ACTOR_TYPE_LABELS
from ..reference import REGIONAL_GROUPS, Meeting, load_reference
from ..store.db import Database
from .dates import day, day_range
from .errors import EmptyCompilationError, ExportFormatError
from .provenance import Provenance, provenance_of

MODES = {
    "primary": "A passage that the classifier places under several topics appears once, "
    "under the topic with the highest score.",
    "each": "A passage that the classifier places under several topics is repeated under "
    "each of them.",
}
UNLINKED = "Passages not linked to a work-plan topic"
STATE_TYPES = ("member_state", "observer_state")
TOPIC_COLUMNS = (
    "legislation_frameworks",
    "criminalization",
    "law_enforcement",
    "electronic_evidence",
    "international_cooperation",
    "prevention",
)

# grain: one row per passage of a written submission to the meeting
PASSAGES_SQL = """
select p.passage_id, p.document_id, p.seq, p.heading, p.para_number, p.text, p.page,
       p.title, p.source_name, p.actor_name, p.actor_type, p.regional_group,
       p.topic_labels, p.legislation_frameworks, p.criminalization, p.law_enforcement,
       p.electronic_evidence, p.international_cooperation, p.prevention
from v_passage p
where p.meeting = ? and p.kind = 'written_submission'
order by p.actor_name, p.document_id, p.seq
"""

# grain: one row per written submission (document) to the meeting
DOCUMENTS_SQL = """
select d.id as document_id, d.title, d.source_name, d.received, d.n_passages,
       a.name as submitter, a.actor_type, c.regional_group
from document d
join actor a on a.id = d.actor_id
left join country c on c.iso3 = a.country_iso3
     and a.actor_type in ('member_state', 'observer_state')
where d.meeting = ? and d.kind = 'written_submission'
order by a.name, d.id
"""


@dataclass(frozen=True)
class Entry:
    submitter: str
    document: str
    paragraph: str  # "para. 12", "para. 8 (c)", "p. 3", "unnumbered paragraph 4"
    heading: str
    text: str

    @property
    def source(self) -> str:
        return f"{self.submitter}, {self.document}, {self.paragraph}"


@dataclass(frozen=True)
class Section:
    key: str  # a topic id, or "" for the passages without a topic
    title: str
    on_agenda: bool
    groups: list[tuple[str, list[Entry]]]  # (submitter, its passages in reading order)

    @property
    def passages(self) -> int:
        return sum(len(entries) for _, entries in self.groups)


@dataclass(frozen=True)
class LateSubmission:
    submitter: str
    document: str
    received: datetime.date
    days_late: int


@dataclass(frozen=True)
class Compilation:
    meeting: Meeting
    deadline: datetime.date
    mode: str
    sections: list[Section]
    contributors: dict[str, list[str]]  # regional group (or observer type) -> names
    late: list[LateSubmission]
    undated: list[str]  # "submitter: document" received on an unknown date
    documents: int
    passages: int
    provenance: Provenance
    agenda: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Compilation of written submissions: {self.meeting.name}"

    def introduction(self) -> list[str]:
        """The paragraphs that say what the compilation is and how it was made."""
        agenda = "; ".join(self.agenda) or self.meeting.agenda or "no work-plan topics"
        model = self.provenance.model_version or "no model (nothing classified yet)"
        name = self.meeting.name[:1].lower() + self.meeting.name[1:]  # in running text
        held = day_range(self.meeting.start_date, self.meeting.end_date)
        return [
            f"This document compiles the {plural(self.documents, 'written submission')} "
            f"received for the {name}, {held}, whose "
            f"agenda covers: {agenda}. Written submissions were due on {day(self.deadline)}, "
            "three weeks before the meeting opens.",
            "The passages are grouped by work-plan topic, and under each topic by the State "
            "or observer that submitted them; each passage gives its source (submitter, "
            "document, paragraph number; a subparagraph with the paragraph and item it "
            "belongs to, and a passage without a number with its page, or its position "
            "among all the document's passages, counted from the start). The topic of a "
            "passage is the one stored for it: "
            f"the label of the IEG Analysis topic classifier (model {model}), or a human "
            f"correction where one has been recorded. {MODES[self.mode]} Passages that the "
            f"classifier links to no work-plan topic are compiled in the last section, "
            f'"{UNLINKED}", so that nothing submitted is left out.',
            "The text of each passage is reproduced as received; it has not been edited.",
        ]


def _title(row: pd.Series) -> str:
    title = row["title"]
    return str(title) if isinstance(title, str) and title.strip() else str(row["source_name"])


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


_TOP_LEVEL = re.compile(r"\d+(?:\.\d+)*")
_SUB_ITEM = re.compile(r"\(([a-z]{1,3})\)")
_ROMAN = re.compile(r"[ivx]+")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}


def paragraph_references(passages: pd.DataFrame) -> pd.Series:
    """Where a delegate finds each passage in its document, by ``passage_id``: "para. 8";
    a subparagraph with the chain of items it belongs to, "para. 8 (c)", "para. 8 (c) (ii)"
    (its parents are the last top-level number and lettered item before it in the same
    document, in reading order, under the same heading and with no unnumbered passage
    between); a passage without a number by its page, "p. 3", or where no page is stored
    (a Word document) by its position among all the document's passages,
    "unnumbered paragraph 4" (its ``seq``: the fourth passage of the document, whichever
    passages the query returned).

    "(i)", "(v)" and "(x)" are roman sub-items, one level below the lettered ones, unless
    they come straight after the letter before them ("(i)" after "(h)"): then they are
    letters. A roman item that continues the current roman list ("(v)" after "(iv)") stays
    roman."""
    references: dict[object, str] = {}
    for _, document in passages.sort_values(["document_id", "seq"]).groupby(
        "document_id", sort=False
    ):
        parent = letter = roman = ""
        heading = None
        for row in document.itertuples(index=False):
            row_heading = getattr(row, "heading", None)
            row_heading = row_heading if isinstance(row_heading, str) else ""
            if row_heading != heading:  # a new section: its items belong to no paragraph yet
                parent = letter = roman = ""
                heading = row_heading
            number = row.para_number.strip().rstrip(".") if isinstance(row.para_number, str) else ""
            item = _SUB_ITEM.fullmatch(number)
            if number and _TOP_LEVEL.fullmatch(number):
                parent, letter, roman = number, "", ""
                reference = f"para. {number}"
            elif item and _is_roman(item.group(1), letter, roman):
                roman = item.group(1)
                reference = _chain(parent, letter, roman)
            elif item:
                letter, roman = item.group(1), ""
                reference = _chain(parent, letter)
            elif number:  # a label of another form: under the paragraph, as written
                reference = f"para. {parent} {number}" if parent else f"para. {number}"
            else:  # an unnumbered passage ends the paragraph before it
                parent = letter = roman = ""
                if pd.notna(row.page):
                    reference = f"p. {int(row.page)}"
                else:
                    reference = f"unnumbered paragraph {int(row.seq)}"
            references[row.passage_id] = reference
    return pd.Series(references, dtype=object)


def _chain(parent: str, *items: str) -> str:
    """The reference "para. 8 (a) (ii)": the paragraph (when there is one) and its items."""
    labels = ([parent] if parent else []) + [f"({item})" for item in items if item]
    return "para. " + " ".join(labels)


def _is_roman(label: str, letter: str, roman: str) -> bool:
    """Whether a sub-item label is a roman numeral (a level below the letters) rather than
    a letter; see :func:`paragraph_references`."""
    if not _ROMAN.fullmatch(label):
        return False
    if roman and _roman_value(label) == _roman_value(roman) + 1:
        return True  # the next item of the roman list
    next_letter = len(letter) == 1 and len(label) == 1 and ord(label) == ord(letter) + 1
    return not next_letter


def _roman_value(label: str) -> int:
    values = [_ROMAN_VALUES[c] for c in label]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _topics_of(row: pd.Series, mode: str) -> list[str]:
    labels = [t for t in (row["topic_labels"] if row["topic_labels"] is not None else [])]
    labels = [t for t in labels if t in TOPIC_COLUMNS]
    if not labels:
        return [""]
    if mode == "each":
        return labels
    # the highest score; on a tie, the topic that comes first in the work plan
    return [max(labels, key=lambda t: float(row[t]) if pd.notna(row[t]) else 0.0)]


def _contributors(documents: pd.DataFrame) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    firsts = documents.drop_duplicates("submitter")
    for _, row in firsts.iterrows():
        if row["actor_type"] in STATE_TYPES:
            key = row["regional_group"] if isinstance(row["regional_group"], str) else ""
            key = f"{key} States" if key else "States outside the five regional groups"
        else:
            key = ACTOR_TYPE_LABELS.get(row["actor_type"], row["actor_type"]) + " (observers)"
        groups.setdefault(key, []).append(str(row["submitter"]))
    order = [f"{g} States" for g in REGIONAL_GROUPS] + ["States outside the five regional groups"]
    order += [f"{label} (observers)" for label in ACTOR_TYPE_LABELS.values()]
    return {key: sorted(groups[key]) for key in order + sorted(groups) if key in groups}


@dataclass(frozen=True)
class CompilationSummary:
    """What the page says about a compilation before anyone downloads it."""

    meeting: int
    deadline: datetime.date
    documents: int
    passages: int
    late: int


# grain: one row (the meeting): its written submissions, their passages, the late ones
SUMMARY_SQL = """
with documents as (
    select id, received from document where meeting = ? and kind = 'written_submission'
)
select count(*) as documents,
    (select count(*) from passage p semi join documents d on d.id = p.document_id)
        as passages,
    count(*) filter (where received > ?) as late
from documents
"""


def compilation_summary(db: Database, meeting: object) -> CompilationSummary:
    """The counts of :func:`compile_meeting` without compiling (a meeting of a large
    store has hundreds of thousands of passages): documents, passages, late documents.
    Raises EmptyCompilationError like it."""
    reference = load_reference()
    info = reference.meeting(meeting)  # refuses an unknown meeting
    deadline = reference.deadline(info.number)
    row = db.query(SUMMARY_SQL, [info.number, deadline]).iloc[0]
    if int(row["documents"]) == 0:
        raise EmptyCompilationError(info.number)
    return CompilationSummary(
        meeting=info.number,
        deadline=deadline,
        documents=int(row["documents"]),
        passages=int(row["passages"]),
        late=int(row["late"]),
    )


def compile_meeting(db: Database, meeting: object, *, mode: str = "primary") -> Compilation:
    """The compilation of the written submissions to ``meeting``."""
    if mode not in MODES:
        raise ExportFormatError(f"'{mode}' is not a grouping; use primary or each.")
    reference = load_reference()
    info = reference.meeting(meeting)  # refuses an unknown meeting
    number = info.number
    documents = db.query(DOCUMENTS_SQL, [number])
    if documents.empty:
        raise EmptyCompilationError(number)
    passages = db.query(PASSAGES_SQL, [number])
    deadline = reference.deadline(number)

    topics = sorted(reference.topics.values(), key=lambda t: (t.meeting != number, t.ordinal))
    placed: dict[str, dict[str, list[Entry]]] = {t.id: {} for t in topics} | {"": {}}
    states_first = passages.assign(_observer=~passages["actor_type"].isin(STATE_TYPES)).sort_values(
        ["_observer", "actor_name", "document_id", "seq"], kind="stable"
    )
    references = paragraph_references(passages)
    for _, row in states_first.iterrows():
        entry = Entry(
            submitter=str(row["actor_name"]),
            document=_title(row),
            paragraph=references[row["passage_id"]],
            heading=str(row["heading"] or ""),
            text=str(row["text"]),
        )
        for topic in _topics_of(row, mode):
            placed[topic].setdefault(entry.submitter, []).append(entry)
    sections = [
        Section(t.id, t.label, t.meeting == number, list(placed[t.id].items()))
        for t in topics
        if placed[t.id]
    ]
    if placed[""]:
        sections.append(Section("", UNLINKED, False, list(placed[""].items())))

    late, undated = [], []
    for _, row in documents.iterrows():
        title = _title(row)
        if pd.isna(row["received"]):
            undated.append(f"{row['submitter']}: {title}")
            continue
        received = pd.Timestamp(row["received"]).date()
        if received > deadline:
            late.append(
                LateSubmission(str(row["submitter"]), title, received, (received - deadline).days)
            )
    return Compilation(
        meeting=info,
        deadline=deadline,
        mode=mode,
        sections=sections,
        contributors=_contributors(documents),
        late=sorted(late, key=lambda item: (-item.days_late, item.submitter)),
        undated=undated,
        documents=len(documents),
        passages=len(passages),
        provenance=provenance_of(db),
        agenda=[t.label for t in topics if t.meeting == number],
    )
