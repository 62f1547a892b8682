"""The term vocabulary (``data/reference/terms.csv``) and a whole-token phrase matcher over it.

Each term has an English label and synonyms, and French and Spanish variants, all
``|``-separated. Matching is on lower-case tokens (spaCy ``PhraseMatcher`` with
``attr="LOWER"``), so a term matches only whole tokens. English variants are matched in
French and Spanish text too: acronyms and names such as "Budapest Convention" or "24/7
network" are often written in English there.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..settings import REFERENCE_DIR

TERMS_PATH = REFERENCE_DIR / "terms.csv"
CUES_PATH = REFERENCE_DIR / "capacity_cues.csv"
TOPIC_CUES_PATH = REFERENCE_DIR / "topic_cues.csv"


@dataclass(frozen=True)
class Term:
    term_id: str
    topic: str
    label: str
    variants: dict[str, tuple[str, ...]]  # language -> phrases


@dataclass(frozen=True)
class TermMatch:
    term_id: str
    topic: str
    start_char: int
    end_char: int
    text: str


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


@functools.lru_cache(maxsize=4)
def load_terms(path: Path = TERMS_PATH) -> tuple[Term, ...]:
    """The term vocabulary, read once per process."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Term(
            term_id=row["term_id"],
            topic=row["topic"],
            label=row["label"],
            variants={
                "en": (row["label"].strip(), *_split(row["synonyms"])),
                "fr": _split(row.get("fr")),
                "es": _split(row.get("es")),
            },
        )
        for row in rows
    )


@functools.lru_cache(maxsize=4)
def load_cues(path: Path = CUES_PATH, *, label_column: str = "label") -> tuple[Term, ...]:
    """Cue words and phrases as terms whose "topic" is the label they point to: the
    capacity-building cues (asking for / offering help; ``capacity_cues.csv``) or, with
    ``label_column="topic"``, the topic cues (``topic_cues.csv``: the everyday words of each
    topic, e.g. prosecutor, extradite, awareness). Used as classifier features only."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Term(
            term_id=row["cue_id"],
            topic=row[label_column],
            label=row["cue_id"],
            variants={lang: _split(row.get(lang)) for lang in ("en", "fr", "es")},
        )
        for row in rows
    )


def longest_first(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, key) of the ``PhraseMatcher`` matches (key, start, end) that are kept
    where they overlap: the longest first (of two as long, the earlier), in text order; what
    spaCy's ``filter_spans`` keeps, on token offsets alone (no ``Span`` is made)."""
    if len(found) <= 1:
        return [(start, end, key) for key, start, end in found]
    in_order = sorted((start, end, key) for key, start, end in found)
    if all(in_order[i][0] >= in_order[i - 1][1] for i in range(1, len(in_order))):
        return in_order  # nothing overlaps (the usual case): all kept
    taken: set[int] = set()
    kept = []
    for key, start, end in sorted(found, key=lambda m: (m[1] - m[2], m[1])):
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            kept.append((start, end, key))
    return sorted(kept)


class TermMatcher:
    """Finds vocabulary terms in the docs of one language."""

    def __init__(self, lang: str, *, terms: Iterable[Term] | None = None) -> None:
        self.lang = lang
        self.terms = {term.term_id: term for term in (terms or load_terms())}
        self._nlp = spacy.blank(lang if lang in ("en", "fr", "es") else "xx")
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        for term in self.terms.values():
            phrases = set(term.variants.get(lang, ())) | set(term.variants.get("en", ()))
            self._matcher.add(term.term_id, [self._nlp.make_doc(p) for p in sorted(phrases)])

    def _kept(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start, end, term id) of the matches kept: the longest first where they
        overlap, in text order."""
        strings = self._nlp.vocab.strings
        return [(start, end, strings[key]) for start, end, key in longest_first(self._matcher(doc))]

    def ids(self, doc: Doc) -> list[tuple[str, str]]:
        """(term id, topic) of the terms in ``doc``, as ``__call__`` finds them, without
        their spans (what the classifier's features and labels need: cheaper)."""
        return [(term_id, self.terms[term_id].topic) for _, _, term_id in self._kept(doc)]

    def __call__(self, doc: Doc) -> list[TermMatch]:
        """The terms in ``doc``, longest first where they overlap, in text order."""
        matches = []
        for start, end, term_id in self._kept(doc):
            term = self.terms[term_id]
            span = doc[start:end]  # not doc.text: that joins every token of the doc
            matches.append(
                TermMatch(term.term_id, term.topic, span.start_char, span.end_char, span.text)
            )
        return matches

    def find(self, text: str) -> list[TermMatch]:
        """The terms in a plain text."""
        return self(self._nlp.make_doc(text))


@functools.lru_cache(maxsize=8)
def term_matcher(lang: str) -> TermMatcher:
    """The shared matcher of one language (built once per process)."""
    return TermMatcher(lang)


@functools.lru_cache(maxsize=8)
def cue_matcher(lang: str) -> TermMatcher:
    """The shared capacity-cue matcher of one language."""
    return TermMatcher(lang, terms=load_cues())


@functools.lru_cache(maxsize=8)
def topic_cue_matcher(lang: str) -> TermMatcher:
    """The shared topic-cue matcher of one language."""
    return TermMatcher(lang, terms=load_cues(TOPIC_CUES_PATH, label_column="topic"))
