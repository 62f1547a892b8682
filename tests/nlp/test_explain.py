from __future__ import annotations

import pytest

from ieg_analysis.nlp.errors import UnknownLabelError, UnsupportedLanguageError
from ieg_analysis.nlp.explain import explain

TEXT = (
    "Our country requests technical assistance to train prosecutors in handling "
    "electronic evidence and data preservation orders."
)


def test_explanation_names_the_words_that_weigh(classifier):
    explanation = explain(classifier, TEXT, "need", language="en")
    words = " ".join(ngram for ngram, _ in explanation.weights)
    assert "requests" in words
    weights = [weight for _, weight in explanation.weights]
    assert weights == sorted(weights, reverse=True)
    assert {m.term_id for m in explanation.terms} >= {"data_preservation"}


def test_topic_explanation(classifier):
    explanation = explain(classifier, TEXT, "electronic_evidence", language="en")
    assert explanation.score > 0.5
    assert any("evidence" in ngram or "preservation" in ngram for ngram, _ in explanation.weights)


def test_bad_requests(classifier):
    with pytest.raises(UnknownLabelError):
        explain(classifier, TEXT, "cooking", language="en")
    with pytest.raises(UnsupportedLanguageError):
        explain(classifier, TEXT, "need", language="ru")


@pytest.mark.parametrize(
    "text",
    [
        "Our Cybercrime Act 2019 was amended in 2023 to harmonise the national cybercrime "
        "legislation with the Budapest Convention and the Malabo Convention, and a new national "
        "cybersecurity strategy sets the legal and institutional framework.",
        # scored exactly 1.0 in float32: only the scores before the sigmoid still differ
        "The Cybercrime Act, the cybercrime legislation, the Budapest Convention, the Malabo "
        "Convention, the national cybersecurity strategy, the legal framework, legislative "
        "reform and harmonisation of cybercrime laws, the new United Nations convention, the "
        "regional legal instruments, the legislative drafting, the institutional framework, the "
        "national coordination body, the ratification and accession, the jurisdiction rules and "
        "the human rights safeguards written into law.",
    ],
)
def test_a_saturated_score_is_still_explained(classifier, text):
    """At a score of 0.9999 or 1.0 no single word moves the probability by 0.01; the weights
    are drops in log-odds from the model's scores, so the words that carry the label are still
    named."""
    explanation = explain(classifier, text, "legislation_frameworks", language="en")
    assert explanation.score > 0.999
    assert len(explanation.weights) >= 3 and explanation.weights[0][1] > 0.5
    assert any("strategy" in ngram or "Convention" in ngram for ngram, _ in explanation.weights)


def test_warming_loads_the_model_once_in_the_background(tmp_path):
    import threading

    from ieg_analysis.analytics import topics
    from ieg_analysis.errors import IEGError
    from tests.nlp.conftest import SHIPPED_MODELS

    def join_warming() -> None:
        for thread in threading.enumerate():
            if thread.name == "ieg-warm-explanations":
                thread.join(timeout=120)

    topics._load_classifier.cache_clear()
    topics._WARMED.clear()
    topics.warm_explanations(tmp_path / "no-model")  # a failure waits for the real call
    join_warming()
    with pytest.raises(IEGError):
        topics.explain_label(tmp_path / "no-model", TEXT, "need", "en")
    topics._load_classifier.cache_clear()
    topics.warm_explanations(SHIPPED_MODELS)
    topics.warm_explanations(SHIPPED_MODELS)  # at once again (a rerun): no second thread
    assert sum(t.name == "ieg-warm-explanations" for t in threading.enumerate()) <= 1
    join_warming()
    assert topics._load_classifier.cache_info().misses == 1
    why = topics.explain_label(SHIPPED_MODELS, TEXT, "need", "en")
    assert topics._load_classifier.cache_info().misses == 1  # the warmed model answered
    assert why["score"] > 0.5
