"""The shipped models on hand-written passages (not taken from training or held-out data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ieg_analysis.nlp import CAPACITY_LABELS, TOPICS
from ieg_analysis.nlp.classifier import Classifier, ModelsMissingError


@pytest.mark.parametrize(
    ("text", "language", "topic"),
    [
        (
            "Parliament is revising the national legal framework so that the cybercrime law "
            "covers procedural powers and jurisdiction over computer data.",
            "en",
            "legislation_frameworks",
        ),
        (
            "The offence of illegal access is punishable by up to five years' imprisonment, and "
            "the production of malware for sale has been made a separate crime.",
            "en",
            "criminalization",
        ),
        (
            "The national police created a specialised cybercrime unit whose investigators "
            "trace suspects through undercover operations and open-source intelligence.",
            "en",
            "law_enforcement",
        ),
        (
            "Prosecutors must prove the chain of custody of the seized hard drives and the "
            "integrity of the forensic image for the digital evidence to be admissible.",
            "en",
            "electronic_evidence",
        ),
        (
            "Our central authority handled forty requests for mutual legal assistance and two "
            "extradition requests with partner States through the 24/7 network.",
            "en",
            "international_cooperation",
        ),
        (
            "A national awareness campaign in schools teaches children and parents how to "
            "protect themselves against online fraud and sextortion.",
            "en",
            "prevention",
        ),
        (
            "L'entraide judiciaire et l'extradition avec les États partenaires ont été "
            "facilitées par notre autorité centrale.",
            "fr",
            "international_cooperation",
        ),
        (
            "La policía nacional creó una unidad especializada en delitos cibernéticos que "
            "realiza investigaciones y operaciones encubiertas.",
            "es",
            "law_enforcement",
        ),
    ],
)
def test_topic_of_hand_written_passages(classifier, text, language, topic):
    (result,) = classifier.classify([text], [language])
    assert result.classified
    assert topic in result.topic_labels
    assert set(result.topics) == set(TOPICS)
    assert all(0.0 <= score <= 1.0 for score in result.topics.values())


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "Our country requests technical assistance to train its prosecutors and judges in "
            "handling electronic evidence, as we lack forensic laboratories.",
            "need",
        ),
        (
            "Our Government offers to host a regional workshop on cybercrime investigations and "
            "will fund the participation of experts from neighbouring States.",
            "provision",
        ),
        ("The penal code was amended in 2020 to define the offence of computer fraud.", "none"),
    ],
)
def test_capacity_of_hand_written_passages(classifier, text, label):
    (result,) = classifier.classify([text], ["en"])
    assert result.capacity_label == label
    assert set(result.capacity) == set(CAPACITY_LABELS)
    assert sum(result.capacity.values()) == pytest.approx(1.0)


def test_procedural_text_has_no_topic(classifier):
    (result,) = classifier.classify(
        ["The Chair thanked the delegations and declared the meeting closed."], ["en"]
    )
    assert result.topic is None
    assert result.topic_labels == ()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Правительство приняло закон о киберпреступности.", None),
        ("اعتمدت الحكومة قانونا بشأن الجرائم الإلكترونية", None),
        ("Some text.", "ru"),
        ("1234 5678", None),
    ],
)
def test_unsupported_language_is_unclassified(classifier, text, language):
    (result,) = classifier.classify([text], None if language is None else [language])
    assert not result.classified
    assert result.reason
    assert result.topics == {} and result.topic is None
    assert result.capacity == {} and result.capacity_label is None


def test_languages_are_detected_and_order_is_kept(classifier):
    texts = [
        "Правительство.",
        "Nous demandons une assistance technique.",
        "We request technical assistance for the police.",
    ]
    results = classifier.classify(texts)
    assert [r.language for r in results] == ["ru", "fr", "en"]


def test_terms_are_reported(classifier):
    (result,) = classifier.classify(
        ["Expedited data preservation is available under the Budapest Convention."], ["en"]
    )
    assert {"data_preservation", "budapest_convention"} <= set(result.terms)


def test_missing_models_raise_a_clear_error(tmp_path: Path):
    with pytest.raises(ModelsMissingError, match="ieg train"):
        Classifier.load(tmp_path / "nowhere")


def test_version_is_set(classifier):
    assert classifier.version and classifier.version != "unknown"


@pytest.mark.parametrize("text", ["", "   ", "!!! --"])
def test_passage_without_words_is_unclassified(classifier, text):
    (result,) = classifier.classify([text], ["en"])
    assert not result.classified
    assert result.reason == "the passage has no words to classify"
