from __future__ import annotations

import plotly.graph_objects as go
import pytest

from ieg_analysis.analytics import matching, recommendations
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.export.errors import ChartOptionError, UnknownChartError
from ieg_analysis.export.registry import CHARTS, _coverage_empty, build_chart


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_builds_with_the_pages_builders(export_db, name) -> None:
    result = build_chart(export_db, name, Filters(meetings=(4,)))
    assert isinstance(result.figure, go.Figure)
    assert result.title
    assert result.filters_text


def test_filters_a_chart_ignores_are_not_claimed(export_db) -> None:
    outcomes = build_chart(
        export_db, "recommendations.outcomes", Filters(meetings=(4,), languages=("fr",))
    )
    assert outcomes.filters == Filters(meetings=(4,))
    assert (
        outcomes.filters_text
        == "meeting 4; not filtered by languages: French (this chart ignores it)"
    )
    timeline = build_chart(export_db, "overview.timeline", Filters(meetings=(4,)))
    assert timeline.filters_text == "not filtered by meeting 4 (this chart ignores it)"
    assert build_chart(export_db, "overview.timeline").filters_text == "no filters (everything)"


def test_options_are_checked_and_described(export_db) -> None:
    result = build_chart(export_db, "capacity.heatmap", Filters(), {"measure": "provision"})
    assert result.options == {"measure": "provision", "value": "share_states"}
    assert "measure: Offers" in result.filters_text
    with pytest.raises(ChartOptionError, match="has no option 'colour'"):
        build_chart(export_db, "capacity.heatmap", Filters(), {"colour": "red"})
    with pytest.raises(ChartOptionError, match="'moon' is not"):
        build_chart(export_db, "topics.distribution", Filters(), {"by": "moon"})
    with pytest.raises(UnknownChartError, match="'pie' is not a chart"):
        build_chart(export_db, "pie", Filters())


def test_an_empty_filter_result_is_flagged(export_db) -> None:
    result = build_chart(export_db, "capacity.heatmap", Filters(states=("VAT",)))
    assert result.is_empty
    assert "no State submitted" in result.empty_message


def test_coverage_without_recommendations_is_flagged_not_drawn(export_db) -> None:
    cover = recommendations.coverage(export_db, Filters())
    assert _coverage_empty(cover) is None
    # the stock-taking meeting lists no recommendation of its own: nothing to compare
    none_listed = cover.assign(recommendations=0)
    assert "no recommendation" in _coverage_empty(none_listed)


def test_the_needs_and_offers_and_timeliness_charts_take_their_options(export_db) -> None:
    sankey = build_chart(export_db, "matching.providers", Filters(), {"offers": "best"})
    assert sankey.options == {"per_need": "3", "offers": "best"}
    expected = matching.match_flows(export_db, Filters(), per_need=3, best_only=True)
    assert sankey.data.equals(expected)
    assert sankey.is_empty == expected.empty
    timely = build_chart(export_db, "tracker.timeliness", Filters(meetings=(4, 6)))
    assert timely.options == {"meeting": "6"}  # the last of the filters' meetings
    assert timely.filters_text.endswith("(meeting: Sixth meeting)")
    assert list(timely.data["meeting"]) == [6]  # Japan
    assert timely.title == "Sixth meeting: written submissions on time and late"  # slide title
