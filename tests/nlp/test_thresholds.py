from __future__ import annotations

from ieg_analysis.nlp import TOPICS
from ieg_analysis.nlp.data import Passage
from ieg_analysis.nlp.thresholds import DEFAULT_THRESHOLD, calibrate_thresholds


def _data(n: int = 40):
    """Prevention passages score 0.45 (below the default threshold), criminalization 0.25
    (every other passage: half of them are true)."""
    scores, gold = [], []
    for i in range(n):
        score = dict.fromkeys(TOPICS, 0.05)
        score["prevention"] = 0.45 if i % 2 else 0.1
        score["criminalization"] = 0.25
        topics = (("prevention",) if i % 2 else ()) + (("criminalization",) if i % 4 == 0 else ())
        scores.append(score)
        gold.append(Passage(f"p{i}", "text", "en", tuple(sorted(topics)), "none"))
    return scores, gold


def test_per_label_thresholds_follow_each_label() -> None:
    thresholds = calibrate_thresholds(*_data())
    assert thresholds["prevention"] == 0.45
    assert thresholds["criminalization"] == 0.25
    assert thresholds["law_enforcement"] == DEFAULT_THRESHOLD  # no positives: the default


def test_a_shared_threshold_is_the_best_for_the_labels_together() -> None:
    thresholds = calibrate_thresholds(*_data(), shared=True)
    assert set(thresholds.values()) == {
        0.25
    }  # prevention keeps F1 1.0 at 0.25, criminalization gains
    assert calibrate_thresholds([], [], shared=True) == dict.fromkeys(TOPICS, DEFAULT_THRESHOLD)
