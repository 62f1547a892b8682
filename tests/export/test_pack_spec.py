from __future__ import annotations

import json

import pytest

from ieg_analysis.analytics.filters import Filters
from ieg_analysis.export.errors import PackSpecError, UnknownChartError
from ieg_analysis.export.pack import parse_spec, spec_to_json


def test_a_spec_is_read_and_written_back() -> None:
    text = json.dumps(
        {
            "title": "For the Bureau",
            "filters": {"meeting": [4], "region": "African"},
            "charts": [
                "overview.timeline",
                {
                    "chart": "capacity.heatmap",
                    "note": "Needs first.",
                    "options": {"measure": "gap"},
                    "filters": {"meeting": "5,6"},
                },
            ],
        }
    )
    spec = parse_spec(text)
    assert spec.title == "For the Bureau"
    assert spec.filters == Filters(meetings=(4,), regions=("African",))
    assert spec.items[0].chart == "overview.timeline"
    assert spec.filters_of(spec.items[0]) == spec.filters
    assert spec.filters_of(spec.items[1]) == Filters(meetings=(5, 6))
    assert spec.items[1].options == {"measure": "gap"}
    assert parse_spec(spec_to_json(spec)) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"charts": []}', "non-empty 'charts' list"),
        ('{"charts": [{"title": "x"}]}', "must name its chart"),
        ('{"charts": ["capacity.heatmap"], "filters": {"colour": "red"}}', "not a filter"),
        ('{"charts": ["capacity.heatmap"], "filters": {"meeting": [9]}}', "not a known meeting"),
        ('{"charts": [{"chart": "capacity.heatmap", "note": 3}]}', "must be text"),
    ],
)
def test_a_malformed_spec_is_refused_in_one_sentence(text, message) -> None:
    with pytest.raises(PackSpecError, match=message):
        parse_spec(text)


def test_an_unknown_chart_is_refused() -> None:
    with pytest.raises(UnknownChartError, match="'pie' is not a chart"):
        parse_spec('{"charts": ["pie"]}')
