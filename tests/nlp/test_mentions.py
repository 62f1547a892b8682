from __future__ import annotations

import pytest

from ieg_analysis.nlp.mentions import find_mentions


def _iso3(text: str, lang: str = "en") -> list[str]:
    return [iso3 for iso3, _, _ in find_mentions(text, lang=lang)]


def test_republic_of_korea_is_not_the_dprk():
    assert _iso3("The Republic of Korea hosted the meeting.") == ["KOR"]
    assert _iso3("The Democratic People's Republic of Korea did not attend.") == ["PRK"]


@pytest.mark.parametrize("name", ["Türkiye", "Turkey"])
def test_turkiye_and_turkey(name):
    assert _iso3(f"{name} signed the agreement.") == ["TUR"]


def test_ordinary_words_are_not_states():
    assert _iso3("We had turkey for lunch; the chad fell out; tell us more.") == []


def test_spans_point_at_the_name():
    text = "Cooperation between Nigeria and Niger improved."
    mentions = find_mentions(text)
    assert [(iso3, text[start:end]) for iso3, start, end in mentions] == [
        ("NGA", "Nigeria"),
        ("NER", "Niger"),
    ]


def test_french_and_spanish_names():
    assert _iso3("La République de Corée et le Mexique.", "fr") == ["KOR", "MEX"]
    assert _iso3("Colaboramos con Corea del Sur y con Brasil.", "es") == ["KOR", "BRA"]
