"""How well the clustering groups what should be grouped, measured on hand-labelled pairs.

``data/evaluation/recommendation_pairs.jsonl`` holds pairs of recommendations written for
this purpose (not taken from the sample generator): ``same`` pairs (one re-worded, or one a
subset of the other) and ``distinct`` pairs (same topic and a different ask, or shared
vocabulary and a different meaning). Each pair is in the ``tune`` or the ``test`` half. All
the texts of a half are clustered together, as a list of recommendations would be, and a
pair counts as predicted "same" when both texts end up in one cluster. The threshold is
chosen on the tuning half (best F1) and precision and recall are reported on the test half.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputFileError
from ..settings import REPO_ROOT
from .clustering import cluster
from .vectors import similarity_matrix

PAIRS_PATH = REPO_ROOT / "data" / "evaluation" / "recommendation_pairs.jsonl"
GRID = tuple(round(0.1 + 0.025 * step, 3) for step in range(25))  # 0.100 .. 0.700


@dataclass(frozen=True)
class Pair:
    id: str
    a: str
    b: str
    same: bool
    kind: str
    split: str


@dataclass(frozen=True)
class Scores:
    threshold: float
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Report:
    threshold: float
    tune: Scores
    test: Scores
    sweep: list[Scores]  # the tuning half at every threshold of the grid
    test_pairs: int
    tune_pairs: int
    errors: list[tuple[Pair, bool]] = field(default_factory=list)  # test pairs got wrong
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (right, all)


def load_pairs(path: Path = PAIRS_PATH) -> list[Pair]:
    if not path.is_file():
        raise InputFileError(str(path), "the file does not exist.")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputFileError(str(path), "the file is not UTF-8 text.") from None
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            pairs.append(
                Pair(
                    id=str(row["id"]),
                    a=str(row["a"]),
                    b=str(row["b"]),
                    same=row["label"] == "same",
                    kind=str(row.get("kind", "")),
                    split=str(row.get("split", "test")),
                )
            )
        except (ValueError, KeyError, TypeError):
            raise InputFileError(
                str(path), f"line {number} is not a pair with id, a, b and label."
            ) from None
    return pairs


class _Half:
    """The texts of some pairs, their similarity computed once."""

    def __init__(self, pairs: Sequence[Pair]) -> None:
        self.pairs = list(pairs)
        texts = sorted({t for pair in self.pairs for t in (pair.a, pair.b)})
        self.index = {text: i for i, text in enumerate(texts)}
        self.similarity = similarity_matrix(texts)

    def predictions(self, threshold: float) -> list[bool]:
        label = np.empty(len(self.index), dtype=int)
        for number, group in enumerate(cluster(self.similarity, threshold)):
            label[group] = number
        return [label[self.index[p.a]] == label[self.index[p.b]] for p in self.pairs]

    def scores(self, threshold: float) -> Scores:
        counts = Counter(
            (pair.same, predicted)
            for pair, predicted in zip(self.pairs, self.predictions(threshold), strict=True)
        )
        return Scores(
            threshold,
            true_positive=counts[True, True],
            false_positive=counts[False, True],
            false_negative=counts[True, False],
            true_negative=counts[False, False],
        )


def choose_threshold(pairs: Sequence[Pair], grid: Sequence[float] = GRID) -> list[Scores]:
    """Scores at each threshold of ``grid``; the best is the first of ``best(...)``."""
    half = _Half(pairs)
    return [half.scores(t) for t in grid]


def best(sweep: Sequence[Scores]) -> Scores:
    """The highest F1; among equals, the higher precision, then the higher threshold."""
    return max(sweep, key=lambda s: (round(s.f1, 9), round(s.precision, 9), s.threshold))


def evaluate(path: Path = PAIRS_PATH, *, threshold: float | None = None) -> Report:
    """Choose the threshold on the tuning half (unless given) and score the test half."""
    pairs = load_pairs(path)
    tune = [p for p in pairs if p.split == "tune"]
    test = [p for p in pairs if p.split != "tune"]
    if not test:  # scores of nothing would read as a perfect 1.000
        raise InputFileError(
            str(path), "there are no labelled pairs outside the tuning split, so nothing to score."
        )
    if not tune and threshold is None:
        raise InputFileError(
            str(path),
            "there are no pairs in the tuning split to choose the threshold on; give --threshold.",
        )
    sweep = choose_threshold(tune)
    chosen = threshold if threshold is not None else best(sweep).threshold
    tune_scores = _Half(tune).scores(chosen)
    half = _Half(test)
    predictions = half.predictions(chosen)
    by_kind: dict[str, list[int]] = {}
    errors = []
    for pair, predicted in zip(test, predictions, strict=True):
        right = predicted == pair.same
        tally = by_kind.setdefault(pair.kind, [0, 0])
        tally[0] += right
        tally[1] += 1
        if not right:
            errors.append((pair, predicted))
    return Report(
        threshold=chosen,
        tune=tune_scores,
        test=half.scores(chosen),
        sweep=sweep,
        test_pairs=len(test),
        tune_pairs=len(tune),
        errors=errors,
        by_kind={kind: (r, a) for kind, (r, a) in sorted(by_kind.items())},
    )
