from __future__ import annotations

import random

import pytest
import spacy

from ieg_analysis.nlp import TOPICS
from ieg_analysis.nlp.terms import (
    TOPIC_CUES_PATH,
    load_cues,
    load_terms,
    longest_first,
    term_matcher,
    topic_cue_matcher,
)


def test_vocabulary_covers_every_topic():
    terms = load_terms()
    assert len(terms) >= 120
    assert {term.topic for term in terms} == {
        "legislation_frameworks",
        "criminalization",
        "law_enforcement",
        "electronic_evidence",
        "international_cooperation",
        "prevention",
    }


def test_matches_carry_term_ids_and_spans():
    text = "We rely on Mutual Legal Assistance and joint investigation teams."
    matches = term_matcher("en").find(text)
    ids = [m.term_id for m in matches]
    assert "mutual_legal_assistance" in ids
    for match in matches:
        assert text[match.start_char : match.end_char] == match.text


def test_whole_tokens_only():
    assert term_matcher("en").find("The ransomwares and the phishingkit.") == []


@pytest.mark.parametrize(
    ("lang", "text", "term_id"),
    [
        ("fr", "Les demandes d'entraide judiciaire ont doublé.", "mutual_legal_assistance"),
        ("es", "El marco jurídico fue reformado.", "legal_framework"),
    ],
)
def test_french_and_spanish_variants(lang, text, term_id):
    assert term_id in {m.term_id for m in term_matcher(lang).find(text)}


def test_overlapping_matches_keep_the_longest():
    matches = term_matcher("en").find("The national legal framework was updated.")
    assert [m.text for m in matches] == ["national legal framework"]


def test_topic_cues_cover_every_topic_in_three_languages():
    cues = load_cues(TOPIC_CUES_PATH, label_column="topic")
    assert {cue.topic for cue in cues} == set(TOPICS)
    assert len({cue.term_id for cue in cues}) == len(cues) >= 200
    for cue in cues:
        assert all(cue.variants[lang] for lang in ("en", "fr", "es")), cue.term_id
    owners: dict[str, str] = {}
    for cue in cues:  # a phrase points to one cue only
        for phrase in {p for variants in cue.variants.values() for p in variants}:
            assert owners.setdefault(phrase, cue.term_id) == cue.term_id, phrase


@pytest.mark.parametrize(
    ("lang", "text", "topic"),
    [
        ("en", "The judges heard the case.", "electronic_evidence"),
        ("fr", "Les procureurs ont requis une peine.", "electronic_evidence"),
        ("es", "Se solicitó la extradición del acusado.", "international_cooperation"),
    ],
)
def test_topic_cues_are_found_in_each_language(lang, text, topic):
    assert topic in {t for _, t in topic_cue_matcher(lang).ids(spacy.blank(lang)(text))}


def _longest_first_by_spans(found):
    """spaCy's filter_spans rule on (key, start, end) triples, the slow way."""
    spans = sorted(found, key=lambda m: (m[1] - m[2], m[1]))
    taken, kept = set(), []
    for key, start, end in spans:
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            kept.append((start, end, key))
    return sorted(kept)


def test_longest_first_equals_the_span_rule_with_and_without_overlaps():
    rng = random.Random(3)
    for _ in range(2000):
        found = []
        for key in range(rng.randint(0, 6)):
            start = rng.randint(0, 12)
            found.append((key, start, start + rng.randint(1, 3)))
        assert longest_first(found) == _longest_first_by_spans(found), found
