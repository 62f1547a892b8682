"""The sentence on how far to trust the need/offer labels, built from a model's evaluation."""

from __future__ import annotations

from ieg_analysis.analytics.topics import capacity_caveat


def _set(need_offer: float, need_recall: float | None = None, offer_recall: float = 0.5) -> dict:
    scored = {"dataset": "x", "passages": 9, "topics": {"macro_f1": 0.8}}
    scored["capacity"] = {"need_provision_macro_f1": need_offer, "macro_f1": 0.7}
    if need_recall is not None:
        scored["capacity"]["per_label"] = {
            "need": {"precision": 0.6, "recall": need_recall, "f1": 0.5, "support": 10},
            "provision": {"precision": 0.6, "recall": offer_recall, "f1": 0.5, "support": 10},
            "none": {"precision": 0.9, "recall": 0.99, "f1": 0.9, "support": 80},
        }
    return scored


def test_the_caveat_gives_the_held_out_range_and_the_documents_recall() -> None:
    evaluation = {
        **_set(0.9492),
        "other_sets": {"b": _set(0.8789)},
        "diagnostic_sets": {"documents.jsonl": _set(0.53, need_recall=0.43, offer_recall=0.494)},
    }
    text = capacity_caveat({"evaluation": evaluation})
    assert "need/offer F1 0.88-0.95 on held-out passages" in text
    assert "it finds 43%-49% of the needs and offers" in text  # recall, not F1


def test_without_a_diagnostic_set_or_an_evaluation_the_caveat_says_less() -> None:
    assert capacity_caveat({"evaluation": _set(0.8)}) == (
        "Labels come from the classifier: need/offer F1 0.80 on held-out passages."
    )
    assert "no evaluation" in capacity_caveat(None)
    assert "no evaluation" in capacity_caveat({"evaluation": None})
