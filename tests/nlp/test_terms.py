from __future__ import annotations

import pytest

from ieg_analysis.nlp.terms import load_terms, term_matcher


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
