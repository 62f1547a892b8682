"""Country mentions: which States a passage talks about (not who submitted it).

Patterns are the names in ``data/reference/countries.csv`` and the aliases in
``country_aliases.csv``, as written, matched on whole tokens with spaCy's ``PhraseMatcher``.
Matching is case-sensitive (``ORTH``) so that ordinary words ("chad", "turkey", "us") are
not taken for States; names of five letters or more also match in capitals, as in headings.
Overlapping matches keep the longest, so "Democratic People's Republic of Korea" is PRK and
never also KOR. The entity id is the ISO3 code.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..settings import REFERENCE_DIR
from .terms import longest_first

_SHORT = 4  # aliases this long or shorter ("UK", "ROK", "DRC") match only as written


@dataclass(frozen=True)
class Mention:
    iso3: str
    start_char: int
    end_char: int
    text: str


def country_patterns(directory: Path = REFERENCE_DIR) -> dict[str, str]:
    """Every name and alias as written -> ISO3 (a name wins over a clashing alias)."""
    patterns: dict[str, str] = {}
    with (directory / "countries.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            patterns[row["name"].strip()] = row["iso3"]
    aliases = directory / "country_aliases.csv"
    if aliases.is_file():
        with aliases.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                alias = (row["alias"] or "").strip()
                if alias and row["iso3"] in patterns.values():
                    patterns.setdefault(alias, row["iso3"])
    return patterns


class CountryMatcher:
    """Finds mentions of States in text of one language."""

    def __init__(self, lang: str = "en", *, directory: Path = REFERENCE_DIR) -> None:
        self._nlp = spacy.blank(lang if lang in ("en", "fr", "es") else "xx")
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="ORTH")
        by_iso3: dict[str, set[str]] = {}
        for name, iso3 in country_patterns(directory).items():
            variants = by_iso3.setdefault(iso3, set())
            variants.add(name)
            if name.startswith("the "):
                variants.add("The " + name[4:])
            if len(name) > _SHORT:
                variants.add(name.upper())
        for iso3, variants in sorted(by_iso3.items()):
            self._matcher.add(iso3, [self._nlp.make_doc(v) for v in sorted(variants)])

    def find(self, text: str) -> list[Mention]:
        """The mentions in ``text``, in order; overlapping matches keep the longest."""
        return self.match(self._nlp.make_doc(text))

    def match(self, doc: Doc) -> list[Mention]:
        """The mentions in a doc already tokenized by a pipeline of the same language (the
        classifier's), so a passage is tokenized once."""
        found = self._matcher(doc)
        if not found:
            return []
        keys = {(start, end): key for key, start, end in found}  # the last of a repeated span
        strings, mentions = self._nlp.vocab.strings, []
        for start, end, _ in longest_first(found):
            span = doc[start:end]
            mentions.append(
                Mention(strings[keys[(start, end)]], span.start_char, span.end_char, span.text)
            )
        return mentions


@functools.lru_cache(maxsize=8)
def country_matcher(lang: str = "en") -> CountryMatcher:
    """The shared matcher of one language (built once per process)."""
    return CountryMatcher(lang)


def find_mentions(text: str, *, lang: str = "en") -> list[tuple[str, int, int]]:
    """(ISO3, start_char, end_char) for each State mentioned in ``text``."""
    return [(m.iso3, m.start_char, m.end_char) for m in country_matcher(lang).find(text)]
