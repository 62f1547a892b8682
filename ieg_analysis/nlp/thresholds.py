"""Per-label decision thresholds for the topic scores.

Scores of a bag-of-features model drop on text written unlike its training data, so a
threshold chosen on a random dev split (same writers, same genres) is too high for new
text. The thresholds are therefore chosen on out-of-fold scores from a cross-validation
that holds out whole writers or genres (see :func:`ieg_analysis.nlp.train.grouped_cv_scores`): for
each label, the candidate with the best F1, keeping 0.5 when there are too few positives;
or (``shared``) one threshold for every label, the candidate with the best macro-F1.

A shared threshold is what the topic config asks for (``[ieg] shared_threshold``): in a
cross-validation that holds out whole writers of the English training data (4 folds of two
writers), the per-label thresholds of the genre folds (0.35-0.55) gave topic macro-F1 0.822
and one threshold 0.826 (per-label thresholds chosen on those very scores, an upper bound,
0.827): per label, the genre folds have too few passages to place a threshold well, and a
label set too high loses recall on new writers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import TOPICS
from .data import Passage

DEFAULT_THRESHOLD = 0.5
MIN_POSITIVES = 8
_CANDIDATES = [round(0.2 + 0.05 * i, 2) for i in range(9)]  # 0.20 .. 0.60


def _f1(pairs: Sequence[tuple[float, bool]], threshold: float) -> float:
    tp = sum(1 for score, gold in pairs if score >= threshold and gold)
    fp = sum(1 for score, gold in pairs if score >= threshold and not gold)
    fn = sum(1 for score, gold in pairs if score < threshold and gold)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def calibrate_thresholds(
    scores: Sequence[Mapping[str, float]], gold: Sequence[Passage], *, shared: bool = False
) -> dict[str, float]:
    """Topic id -> threshold, from topic scores and the passages they were made for."""
    if shared:
        return dict.fromkeys(TOPICS, _shared_threshold(scores, gold))
    thresholds = dict.fromkeys(TOPICS, DEFAULT_THRESHOLD)
    for topic in TOPICS:
        pairs = [(s[topic], topic in p.topics) for s, p in zip(scores, gold, strict=True)]
        if sum(positive for _, positive in pairs) < MIN_POSITIVES:
            continue
        thresholds[topic] = max(
            _CANDIDATES, key=lambda t: (round(_f1(pairs, t), 3), -abs(t - DEFAULT_THRESHOLD))
        )
    return thresholds


def _shared_threshold(scores: Sequence[Mapping[str, float]], gold: Sequence[Passage]) -> float:
    """The candidate with the best mean F1 over the labels with enough positives (0.5 when
    none has)."""
    pairs = {
        topic: [(s[topic], topic in p.topics) for s, p in zip(scores, gold, strict=True)]
        for topic in TOPICS
    }
    pairs = {t: ps for t, ps in pairs.items() if sum(g for _, g in ps) >= MIN_POSITIVES}
    if not pairs:
        return DEFAULT_THRESHOLD
    return max(
        _CANDIDATES,
        key=lambda t: (
            round(sum(_f1(ps, t) for ps in pairs.values()) / len(pairs), 3),
            -abs(t - DEFAULT_THRESHOLD),
        ),
    )
