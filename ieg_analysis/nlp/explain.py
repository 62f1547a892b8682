"""Explanations: why a passage got a label.

The evidence is the vocabulary terms matched in the passage and the words that weigh most
for the model, measured by occlusion: each word (lower-case form) is removed in turn, all of
its occurrences at once (all variants scored in one batch), and its weight, shown at its first
occurrence, is the drop in the label's log-odds (log p / (1 - p), computed from the model's
scores before the sigmoid or softmax), not in its probability: a passage scored 1.00 stays at
1.00 without any one word, but its log-odds still fall by that word's weight. All occurrences
go together because the topic model counts a feature once per passage: removing one of two
"evidence" tokens changes nothing. Of the heaviest words, those that are adjacent are reported
as one n-gram.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.tokens import Doc

from . import CAPACITY_LABELS, TOPICS
from .classifier import Classifier
from .errors import UnknownLabelError, UnsupportedLanguageError
from .features import doc_terms
from .terms import TermMatch


@dataclass(frozen=True)
class Explanation:
    label: str
    score: float
    terms: tuple[TermMatch, ...]
    weights: tuple[tuple[str, float], ...]  # (word or n-gram, log-odds drop), largest first


def explain(
    classifier: Classifier,
    text: str,
    label: str,
    *,
    language: str,
    top: int = 8,
    min_weight: float = 0.05,
) -> Explanation:
    """The evidence for ``label`` (a topic id or need/provision/none) in ``text``."""
    if label not in TOPICS and label not in CAPACITY_LABELS:
        raise UnknownLabelError(label)
    if language not in classifier.pipelines:
        raise UnsupportedLanguageError(language)
    nlp = classifier.pipelines[language]
    component = "textcat_multilabel" if label in TOPICS else "textcat"
    disable = [name for name in nlp.pipe_names if name != component]
    doc = nlp(text, disable=disable)
    score = float(doc.cats.get(label, 0.0))
    first: dict[str, int] = {}  # lower-case form -> its first token
    for token in doc:
        if not token.is_space:
            first.setdefault(token.lower_, token.i)
    variants = [
        Doc(nlp.vocab, words=[t.text for t in doc if t.lower_ != form and not t.is_space])
        for form in first
    ]
    odds = _log_odds(nlp.get_pipe(component), [doc, *variants], label)
    drops = {i: float(odds[0] - odds[k]) for k, i in enumerate(first.values(), start=1)}
    return Explanation(label, score, tuple(doc_terms(doc)), _ngrams(doc, drops, top, min_weight))


def _log_odds(pipe, docs: list[Doc], label: str) -> numpy.ndarray:
    """The log-odds of ``label`` for each doc, in doubles from the scores before the output
    layer (the probabilities saturate at 1.0 in float32 long before the scores do): the
    score itself under a sigmoid, the score less the log-sum-exp of the others' under a
    softmax."""
    scores = numpy.asarray(pipe.model.layers[0].predict(docs), dtype="float64")
    j = list(pipe.labels).index(label)
    if pipe.model.attrs.get("multi_label", True):
        return scores[:, j]
    others = numpy.delete(scores, j, axis=1)
    peak = others.max(axis=1)
    return scores[:, j] - (peak + numpy.log(numpy.exp(others - peak[:, None]).sum(axis=1)))


def _ngrams(
    doc: Doc, drops: dict[int, float], top: int, min_weight: float
) -> tuple[tuple[str, float], ...]:
    """The ``top`` tokens by weight; chosen tokens that are adjacent are merged into n-grams
    of up to three words (weight: their summed drop)."""
    ranked = sorted(
        (i for i, drop in drops.items() if drop >= min_weight and not doc[i].is_punct),
        key=lambda i: -drops[i],
    )
    chosen = sorted(ranked[:top])
    runs: list[list[int]] = []
    for i in chosen:
        if runs and runs[-1][-1] == i - 1 and len(runs[-1]) < 3:
            runs[-1].append(i)
        else:
            runs.append([i])
    weighted = [(doc[run[0] : run[-1] + 1].text, sum(drops[i] for i in run)) for run in runs]
    weighted.sort(key=lambda pair: -pair[1])
    return tuple((text, round(weight, 4)) for text, weight in weighted)
