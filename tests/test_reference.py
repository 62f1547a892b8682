from __future__ import annotations

from datetime import date

import pytest

from ieg_analysis.errors import UnknownCountryError, UnknownMeetingError
from ieg_analysis.reference import REGIONAL_GROUPS


def test_all_member_and_observer_states_are_there(reference) -> None:
    countries = reference.countries.values()
    assert sum(c.status == "member" for c in countries) == 193
    assert {c.name for c in countries if c.status == "observer"} == {
        "Holy See",
        "State of Palestine",
    }
    groups = {c.regional_group for c in countries if c.status == "member"}
    assert groups == set(REGIONAL_GROUPS)
    assert all(c.m49_region and c.m49_subregion for c in countries)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Iran (Islamic Republic of)", "IRN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("Russian Federation", "RUS"),
        ("Viet Nam", "VNM"),
        ("Czechia", "CZE"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("the Netherlands", "NLD"),
        ("  viet   nam ", "VNM"),
        ("deu", "DEU"),
    ],
)
def test_names_documents_use_resolve_to_one_state(reference, name: str, iso3: str) -> None:
    assert reference.resolve_country(name).iso3 == iso3


def test_unknown_state_suggests_the_closest(reference) -> None:
    with pytest.raises(UnknownCountryError) as caught:
        reference.resolve_country("Germny")
    assert "Germany" in str(caught.value)
    assert str(caught.value).count(".") <= 2  # one sentence and its hint


def test_meetings_and_the_three_week_deadline(reference) -> None:
    assert reference.meeting(6).start_date == date(2020, 7, 27)
    assert reference.deadline(4) == date(2018, 3, 13)
    assert reference.meeting("7").stocktaking
    with pytest.raises(UnknownMeetingError, match="Meeting '9' does not exist"):
        reference.meeting(9)
    with pytest.raises(UnknownMeetingError):
        reference.meeting("fourth")


@pytest.mark.parametrize(
    ("heading", "topic"),
    [
        ("II. Legislation and frameworks", "legislation_frameworks"),
        ("B. Electronic evidence & criminal justice", "electronic_evidence"),
        ("Criminalisation", "criminalization"),
        ("III. Coopération internationale", "international_cooperation"),
        ("I. Introduction", None),
        (None, None),
    ],
)
def test_headings_name_topics(reference, heading, topic) -> None:
    assert reference.topic_for_heading(heading) == topic


def test_topic_ids_of_the_schema_are_the_work_plan_topics(reference) -> None:
    from ieg_analysis.records import TOPIC_IDS

    assert tuple(reference.topics) == TOPIC_IDS
