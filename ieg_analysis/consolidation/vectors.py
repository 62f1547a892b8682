"""What two recommendations are compared on: their content lemmas and vocabulary terms.

A text becomes a bag of lemmas (spaCy's tokenizer of its language, the lemma lookup tables of
``spacy-lookups-data`` through ``nlp.features.lemma_keys``, lower case, numbers as their digit
shape), without spaCy's stop words and without the Rapporteur's register words that every
recommendation carries ("Member States should...", "UNODC should continue..."), plus the ids
of the sub-topic vocabulary terms it mentions (``nlp.terms``: "CERT" and "computer emergency
response team" are the same term). Each feature is weighted by TF-IDF over the texts being
compared (sublinear term frequency, smoothed IDF raised to ``IDF_POWER``); term features are
scaled by ``TERM_WEIGHT`` and each vector is L2-normalised, so the dot product of two rows is
their cosine similarity.

Why the IDF is squared: a list of recommendations repeats its asks ("adopt standard operating
procedures for ...", "support States in establishing units for ...") over many subjects, and
with plain TF-IDF the shared ask outweighed the subject. The sample grouped standard operating
procedures for victim identification, open-source intelligence, virtual currency tracing and
undercover investigations into one cluster; squared, the same list groups by subject. On
``data/evaluation/recommendation_pairs.jsonl`` (``ieg consolidate --evaluate``; power chosen on
the tuning half among 1, 1.5, 2 and 3, the threshold re-chosen for each): tuning half F1
0.932 -> 0.944, test half 0.788 -> 0.800.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import spacy

from ..nlp.features import lemma_keys
from ..nlp.terms import term_matcher

LANGUAGES = ("en", "fr", "es")
# Words of the register itself: they open nearly every recommendation and say nothing about
# what it asks (IDF would weigh them down too, but a list of 20 texts has little IDF to go on).
REGISTER_WORDS = frozenset(
    {
        "member",
        "state",
        "states",
        "should",
        "continue",
        "ensure",
        "consider",
        "encourage",
        "recommend",
        "expert",
        "group",
        "request",
        "upon",
        "include",
        "including",
        "particular",
        "relevant",
        "national",
        "appropriate",
        "necessary",
    }
)
# How much a shared vocabulary term counts, relative to a lemma of the same TF-IDF weight.
TERM_WEIGHT = 1.0
IDF_POWER = 2.0
_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=4)
def _tokenizer(lang: str) -> spacy.language.Language:
    return spacy.blank(lang if lang in LANGUAGES else "xx")


def lemmas(text: str, lang: str = "en") -> list[str]:
    """The content lemmas of ``text``, in order (with repeats)."""
    nlp = _tokenizer(lang)
    stop = nlp.Defaults.stop_words
    table = lemma_keys(lang).table if lang in LANGUAGES else {}
    found = []
    for token in nlp.make_doc(text):
        lower = token.lower_
        if not any(ch.isalnum() for ch in lower) or lower in stop:
            continue
        if _DIGIT.search(lower):
            lemma = _DIGIT.sub("d", lower)
        else:
            lemma = table.get(lower, lower) if table else lower
            if isinstance(lemma, list):
                lemma = lemma[0] if lemma else lower
        if lemma in stop or lemma in REGISTER_WORDS or lower in REGISTER_WORDS or len(lemma) < 2:
            continue
        found.append(lemma)
    return found


def terms(text: str, lang: str = "en") -> list[str]:
    """The ids of the vocabulary terms ``text`` mentions, in text order."""
    return [match.term_id for match in term_matcher(lang).find(text)]


def features(text: str, lang: str = "en") -> Counter[str]:
    """Lemma and term features of one text, with counts (terms prefixed ``term:``)."""
    bag = Counter(lemmas(text, lang))
    bag.update(f"term:{term_id}" for term_id in terms(text, lang))
    return bag


def tfidf_matrix(bags: Sequence[Counter[str]], *, term_weight: float = TERM_WEIGHT) -> np.ndarray:
    """One L2-normalised row per bag; IDF is computed over ``bags`` themselves."""
    vocabulary = sorted({feature for bag in bags for feature in bag})
    index = {feature: i for i, feature in enumerate(vocabulary)}
    matrix = np.zeros((len(bags), len(vocabulary)), dtype=float)
    df = Counter(feature for bag in bags for feature in bag)
    n = len(bags)
    for row, bag in enumerate(bags):
        for feature, count in bag.items():
            idf = (math.log((1 + n) / (1 + df[feature])) + 1.0) ** IDF_POWER
            weight = (1.0 + math.log(count)) * idf
            if feature.startswith("term:"):
                weight *= term_weight
            matrix[row, index[feature]] = weight
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def similarity_matrix(
    texts: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    term_weight: float = TERM_WEIGHT,
) -> np.ndarray:
    """Pairwise cosine similarity (0..1) of ``texts``; the diagonal is 1."""
    languages = languages or ["en"] * len(texts)
    bags = [features(text, lang) for text, lang in zip(texts, languages, strict=True)]
    matrix = tfidf_matrix(bags, term_weight=term_weight)
    similarity = np.clip(matrix @ matrix.T, 0.0, 1.0)
    np.fill_diagonal(similarity, 1.0)
    return similarity
