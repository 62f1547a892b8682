from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from ieg_analysis.charts.capacity import need_map, needs_heatmap

TOPICS = [
    ("legislation_frameworks", "Legislation"),
    ("criminalization", "Criminalization"),
    ("law_enforcement", "Law enforcement"),
    ("electronic_evidence", "Electronic evidence"),
    ("international_cooperation", "International cooperation"),
    ("prevention", "Prevention"),
]


def _matrix(value_kind: str = "share_states", measure: str = "need") -> pd.DataFrame:
    rows = []
    # rows deliberately out of order: the builder sorts topics by the work plan
    for region, submitting in (("Western European and other", 4), ("African", 3)):
        for ordinal, (topic_id, short) in reversed(list(enumerate(TOPICS, start=1))):
            states = ["Ghana", "Kenya"] if (region, topic_id) == ("African", "prevention") else []
            rows.append(
                {
                    "region": region,
                    "topic_id": topic_id,
                    "topic_label": short,
                    "topic_short_label": short,
                    "topic_ordinal": ordinal,
                    "states_submitting": submitting,
                    "measure_states": len(states),
                    "measure_passages": 3 * len(states),
                    "states": states,
                    "value": (
                        len(states) / submitting
                        if value_kind == "share_states"
                        else float(len(states))
                    ),
                    "value_kind": value_kind,
                    "measure": measure,
                }
            )
    return pd.DataFrame(rows)


def test_heatmap_has_regions_by_topics_in_work_plan_order() -> None:
    fig = needs_heatmap(_matrix(), value_label="% of submitting States")
    heatmap = next(t for t in fig.data if isinstance(t, go.Heatmap))
    assert list(heatmap.y) == ["African", "Western European and other"]
    assert [x.replace("<br>", " ") for x in heatmap.x] == [short for _, short in TOPICS]
    assert heatmap.z[0][5] == pytest.approx(2 / 3)
    assert heatmap.z[1][5] == 0
    assert heatmap.text[0][5] == "67%"
    assert heatmap.colorbar.title.text == "% of submitting States"
    assert heatmap.zmin == 0 and heatmap.zmax == 1
    assert fig.layout.title.text == "Capacity-building needs by region and work-plan topic"
    assert not fig.layout.xaxis.title.text  # the ticks are the topics; see the chart's note
    assert fig.layout.yaxis.title.text == "Region"


def test_heatmap_hover_lists_the_states_and_clicks_carry_the_cell() -> None:
    fig = needs_heatmap(_matrix(), value_label="%")
    cells = next(t for t in fig.data if isinstance(t, go.Scatter))
    index = [tuple(c) for c in cells.customdata].index(("African", "prevention"))
    assert "Ghana, Kenya" in cells.hovertext[index]
    assert "2 of 3 submitting States (67%)" in cells.hovertext[index]
    assert len(cells.customdata) == 12


def test_counts_are_shown_as_integers_with_their_own_scale() -> None:
    fig = needs_heatmap(_matrix("states", "gap"), value_label="States (count)", region_label="M")
    heatmap = next(t for t in fig.data if isinstance(t, go.Heatmap))
    assert heatmap.text[0][5] == "2"
    assert heatmap.zmax == 2
    assert "without any offer" in fig.layout.title.text
    assert fig.layout.yaxis.title.text == "M"


def test_the_selected_cell_is_outlined() -> None:
    fig = needs_heatmap(_matrix(), value_label="%", selected=("African", "prevention"))
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (4.5, 5.5, -0.5, 0.5)
    assert not needs_heatmap(_matrix(), value_label="%", selected=("Nowhere", "x")).layout.shapes


def test_state_names_in_hover_are_escaped() -> None:
    frame = _matrix()
    frame.at[0, "states"] = ["<script>x</script>"]
    frame.at[0, "measure_states"] = 1
    cells = next(t for t in needs_heatmap(frame, value_label="%").data if t.type == "scatter")
    assert not any("<script>" in text for text in cells.hovertext)


def test_empty_inputs_give_a_message_not_an_empty_chart() -> None:
    fig = needs_heatmap(_matrix().iloc[0:0], value_label="%")
    assert "widen them" in fig.layout.annotations[0].text
    empty_map = need_map(
        pd.DataFrame(columns=["iso3", "name", "passages", "topic_passages", "need_passages"]),
        topic_label="Prevention",
        topojson_url="/app/static/",
    )
    assert "widen them" in empty_map.layout.annotations[0].text


def test_map_colours_states_by_need_share_on_local_geometry() -> None:
    frame = pd.DataFrame(
        {
            "iso3": ["GHA", "FRA"],
            "name": ["Ghana", "France"],
            "passages": [4, 10],
            "topic_passages": [2, 1],
            "need_passages": [2, 0],
            "need_share": [0.5, 0.0],
        }
    )
    fig = need_map(frame, topic_label="Prevention", topojson_url="/app/static/")
    (trace,) = fig.data
    assert trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["GHA", "FRA"]
    assert list(trace.z) == [0.5, 0.0]
    assert fig.layout.geo.projection.rotation.lon == 0
    assert fig.layout.meta["topojsonURL"] == "/app/static/"
    assert fig.layout.title.text == "Need intensity per State: Prevention"
    assert "Needs on the topic" in trace.colorbar.title.text
    assert fig.layout.annotations[0].text == "Grey: no submission in view"  # the land colour
    assert trace.colorscale[0][1] != "rgb(247,251,255)"  # 0% is a visible blue, not white
    assert trace.colorscale[0][1] == "#deebf7"
