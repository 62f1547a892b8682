"""Labelled passages (JSONL) as spaCy examples, with a deterministic train/dev split.

Lines are ``{"id", "text", "lang", "topics": [ids], "capacity": "need"|"provision"|"none"}``.
The dev split is drawn from the training data only, by a hash of each passage id, so it
is the same on every machine and independent of file order. The held-out evaluation set is
never read here.

``group_folds`` deals the writers (the labelled files a passage comes from) or the genres
of the training split into folds for a cross-validation that holds out whole writers or
genres: it estimates how the models do on text written unlike anything they were trained
on, which a random dev split overstates.

The reader ``ieg.Corpus.v1`` gives spaCy's training loop the examples of one language
and one task, optionally with the passages of other languages added (their word features
do not carry over, but their vocabulary-term features do).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from ..errors import IEGError
from ..records import CORRECTION_GENRE
from ..settings import DATA_DIR
from . import CAPACITY_LABELS, TOPICS

TRAINING_DIR = DATA_DIR / "training"
HELDOUT_PATH = DATA_DIR / "evaluation" / "heldout.jsonl"
TASKS = ("topics", "capacity")


class LabelledDataError(IEGError):
    """A labelled-data file that cannot be read."""


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    lang: str
    topics: tuple[str, ...]
    capacity: str
    genre: str = ""
    source: str = ""  # the labelled file the passage comes from (its stem): its writer
    heading: bool = False  # a title or heading the product never classifies (documents.jsonl)


def read_passages(path: Path, *, headings: bool = False) -> list[Passage]:
    """The labelled passages of one JSONL file. A line flagged ``"heading": true`` (the
    diagnostic set of whole documents marks the titles and headings that the ingestion's
    segmenter attaches to the passages below them, so the product never classifies them)
    is left out unless ``headings``."""
    if not path.is_file():
        raise LabelledDataError(f"The labelled-data file {path} does not exist.")
    passages = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # JSON may hold U+2028
    except UnicodeDecodeError:
        raise LabelledDataError(f"The labelled-data file {path} is not UTF-8 text.") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise TypeError("not a JSON object")
            heading = row.get("heading") is True
            if heading and not headings:
                continue
            if not isinstance(row["topics"], list):
                raise LabelledDataError(
                    f'Line {number} of {path} has "topics" {json.dumps(row["topics"])}; '
                    'topics must be a list of topic ids, e.g. ["criminalization"].'
                )
            topics = tuple(row["topics"])
            genre = str(row.get("genre") or row.get("source_style") or "")
            passage = Passage(
                str(row["id"]),
                row["text"],
                row["lang"],
                topics,
                row["capacity"],
                genre,
                path.stem,
                heading,
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise LabelledDataError(
                f"Line {number} of {path} is not a labelled passage ({error})."
            ) from None
        unknown = [t for t in topics if t not in TOPICS]
        if unknown or passage.capacity not in CAPACITY_LABELS:
            raise LabelledDataError(
                f"Line {number} of {path} has an unknown label "
                f"({', '.join(unknown) or passage.capacity})."
            )
        passages.append(passage)
    return passages


def read_training(directory: Path = TRAINING_DIR) -> list[Passage]:
    """Every labelled passage in ``directory`` (all ``*.jsonl`` files, in name order)."""
    files = sorted(directory.glob("*.jsonl"))
    if not files:
        raise LabelledDataError(f"There are no labelled-data files (*.jsonl) in {directory}.")
    return [passage for path in files for passage in read_passages(path)]


def is_dev(passage_id: str, *, dev_percent: int) -> bool:
    """Whether a passage belongs to the dev split (stable across machines and file orders)."""
    digest = hashlib.sha1(passage_id.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < dev_percent


def split(passages: Iterable[Passage], *, dev_percent: int) -> tuple[list[Passage], list[Passage]]:
    """(train, dev) by :func:`is_dev`; reviewers' corrections are always trained on."""
    train, dev = [], []
    for passage in passages:
        held = passage.genre != CORRECTION_GENRE and is_dev(passage.id, dev_percent=dev_percent)
        (dev if held else train).append(passage)
    return train, dev


GROUPINGS = ("genre", "source")


def group_folds(
    passages: Iterable[Passage], *, folds: int, by: str = "genre"
) -> list[tuple[str, ...]]:
    """The genres (``by="genre"``) or source files (``by="source"``: the writers) of the
    passages, dealt round-robin into ``folds`` groups in name order. Reviewers' corrections
    are no genre or writer of their own: never held out, so the folds (and thresholds) of the
    written training data stay what they were without them."""
    if by not in GROUPINGS:
        raise LabelledDataError(f"'{by}' is not a grouping; use one of {', '.join(GROUPINGS)}.")
    groups = sorted({getattr(p, by) for p in passages if p.genre != CORRECTION_GENRE})
    return [tuple(groups[i::folds]) for i in range(folds) if groups[i::folds]]


def cats(passage: Passage, task: str) -> dict[str, float]:
    """The gold categories of a passage for a task."""
    if task == "topics":
        return {topic: float(topic in passage.topics) for topic in TOPICS}
    return {label: float(label == passage.capacity) for label in CAPACITY_LABELS}


def make_examples(nlp: Language, passages: Sequence[Passage], task: str) -> list[Example]:
    """spaCy examples of the passages for one task (``"topics"`` or ``"capacity"``)."""
    examples = []
    for passage, doc in zip(passages, nlp.tokenizer.pipe(p.text for p in passages), strict=True):
        examples.append(Example.from_dict(doc, {"cats": cats(passage, task)}))
    return examples


@registry.readers("ieg.Corpus.v1")
def create_corpus(
    path: str,
    lang: str,
    task: str,
    split_name: str,
    dev_percent: int = 15,
    other_languages: bool = False,
    limit: int = 0,
    exclude_genres: Sequence[str] = (),
    exclude_sources: Sequence[str] = (),
) -> Callable[[Language], Iterator[Example]]:
    """The examples of ``lang`` (plus, in training, other languages if asked) for a task,
    leaving out ``exclude_genres`` and the passages of the files ``exclude_sources`` (used by
    the grouped cross-validation)."""
    if task not in TASKS:
        raise LabelledDataError(f"'{task}' is not a task; use one of {', '.join(TASKS)}.")

    def read(nlp: Language) -> Iterator[Example]:
        train, dev = split(read_training(Path(path)), dev_percent=dev_percent)
        chosen = train if split_name == "train" else dev
        chosen = [
            p for p in chosen if p.genre not in exclude_genres and p.source not in exclude_sources
        ]
        own = [p for p in chosen if p.lang == lang]
        if split_name == "train" and other_languages:
            own += [p for p in chosen if p.lang != lang]
        yield from make_examples(nlp, own[:limit] if limit else own, task)

    return read
