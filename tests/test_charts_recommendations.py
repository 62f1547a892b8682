"""The Recommendation coverage charts, built from small DataFrames."""

from __future__ import annotations

import pandas as pd

from ieg_analysis.charts.recommendations import (
    OUTCOME_COLOURS,
    coverage_chart,
    gaps_chart,
    outcomes_bar,
)
from ieg_analysis.charts.theme import OKABE_ITO


def _outcomes() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("Prevention", 6, 6, "adopted", "Adopted", 5),
            ("Prevention", 6, 6, "preliminary", "Pending", 2),
            ("Criminalization", 2, 4, "withdrawn", "Withdrawn", 1),
        ],
        columns=["topic", "ordinal", "meeting", "status", "outcome", "recommendations"],
    )


def test_outcomes_bar_stacks_one_colour_per_outcome() -> None:
    fig = outcomes_bar(_outcomes())
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text
    assert fig.layout.xaxis.title.text == "Recommendations (count)"
    names = [trace.name for trace in fig.data]
    assert names == ["Adopted", "Pending", "Withdrawn"]  # fixed order, whatever the input
    assert {t.name: t.marker.color for t in fig.data} == {
        name: OUTCOME_COLOURS[name] for name in names
    }
    assert set(OUTCOME_COLOURS.values()) <= set(OKABE_ITO)
    # topics ordered by meeting, then work-plan order; missing outcomes count 0
    assert list(fig.data[0].y) == ["Criminalization (meeting 4)", "Prevention (meeting 6)"]
    assert list(fig.data[0].x) == [0, 5]


def test_outcomes_bar_empty_says_so() -> None:
    fig = outcomes_bar(_outcomes().iloc[0:0])
    assert "No recommendations" in fig.layout.annotations[0].text


def _coverage() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "topic": ["Legislation", "Prevention", "Criminalization"],
            "ordinal": [1, 6, 2],
            "recommendations": [2, 1, 1],
            "passages": [1, 3, 0],
            "recommendation_share": [0.5, 0.25, 0.25],
            "passage_share": [0.25, 0.75, 0.0],
            "coverage_ratio": [2.0, 1 / 3, float("nan")],
            "expected_recommendations": [1.0, 3.0, 0.0],
            "thin": [False, True, False],
        }
    )


def test_coverage_chart_marks_thin_topics_and_writes_the_ratio() -> None:
    fig = coverage_chart(_coverage())
    lines = [t for t in fig.data if t.mode == "lines"]
    colours = {t.y[0]: t.line.color for t in lines}
    assert colours["Prevention"] == OKABE_ITO[5]  # thin: vermillion
    assert colours["Legislation"] != OKABE_ITO[5]
    text = next(t for t in fig.data if t.mode == "text")
    assert list(text.text) == ["ratio 2.00", "not raised in submissions", "ratio 0.33 · thin"]
    off = coverage_chart(_coverage().assign(on_agenda=[True, True, False]))
    assert next(t for t in off.data if t.mode == "text").text[1].endswith("agenda")  # Crim.
    assert fig.layout.xaxis.tickformat == ".0%"
    assert "%" in fig.layout.xaxis.title.text
    # the ratios have a column (and an axis) of their own, explained in its heading; the
    # share axis ends just past the largest share
    assert text.xaxis == "x2" and fig.layout.xaxis2.visible is False
    assert fig.layout.annotations[0].text == "Ratio; thin: below 0.8"
    largest = max(_coverage()["passage_share"].max(), _coverage()["recommendation_share"].max())
    assert largest < fig.layout.xaxis.range[1] <= largest * 1.1 + 1e-9
    legend = {t.name for t in fig.data if t.showlegend is not False}
    assert legend == {"Share of submission passages", "Share of recommendations"}


def test_coverage_chart_empty() -> None:
    empty = _coverage().assign(recommendations=0, passages=0)
    assert coverage_chart(empty).layout.annotations


def test_gaps_chart_pairs_passage_and_recommendation_shares() -> None:
    df = pd.DataFrame(
        {
            "label": ["awareness campaign", "schools"],
            "passages": [2, 4],
            "states": [2, 3],
            "recommendations": [0, 1],
            "passage_share": [0.66, 0.5],
            "recommendation_share": [0.0, 0.1],
            "coverage": ["absent", "rare"],
        }
    )
    fig = gaps_chart(df, topic="Prevention")
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert list(fig.data[0].y) == ["awareness campaign (absent)", "schools"]
    assert "Prevention" in fig.layout.title.text
    assert fig.layout.xaxis.title.text
    assert gaps_chart(df.iloc[0:0]).layout.annotations


def test_a_thin_ratio_never_reads_as_the_threshold() -> None:
    # rows: Legislation, Prevention, Criminalization; drawn in work-plan order
    just_thin = _coverage().assign(coverage_ratio=[0.7986, 0.29, 1.0], thin=[True, True, False])
    text = next(t for t in coverage_chart(just_thin).data if t.mode == "text")
    assert list(text.text) == ["ratio 0.79 · thin", "ratio 1.00", "ratio 0.29 · thin"]
