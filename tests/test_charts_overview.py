from __future__ import annotations

from datetime import date

import pandas as pd

from ieg_analysis.charts.overview import submissions_per_meeting, workplan_timeline


def _workplan() -> pd.DataFrame:
    rows = [
        (
            3,
            "Third",
            date(2017, 4, 10),
            date(2017, 4, 13),
            date(2017, 3, 20),
            None,
            "Work plan adopted",
            None,
        ),
        (
            4,
            "Fourth",
            date(2018, 4, 3),
            date(2018, 4, 5),
            date(2018, 3, 13),
            None,
            None,
            "Criminalization",
        ),
        (
            4,
            "Fourth",
            date(2018, 4, 3),
            date(2018, 4, 5),
            date(2018, 3, 13),
            None,
            None,
            "Legislation and frameworks",
        ),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "meeting",
            "name",
            "start_date",
            "end_date",
            "submission_deadline",
            "note",
            "agenda",
            "topic",
        ],
    )


def test_timeline_has_one_point_per_meeting_with_its_topics_or_agenda() -> None:
    fig = workplan_timeline(_workplan())
    meetings = next(t for t in fig.data if t.name == "Meeting")
    assert list(meetings.y) == ["Meeting 3 (2017)", "Meeting 4 (2018)"]
    assert list(meetings.text) == [
        "Work plan adopted",
        "Criminalization; Legislation and frameworks",
    ]
    deadlines = next(t for t in fig.data if (t.name or "").startswith("Submission deadline"))
    assert list(deadlines.x) == [date(2017, 3, 20), date(2018, 3, 13)]
    # year ticks, level and at most six, without an axis title to run into the legend
    assert fig.layout.xaxis.title.text is None and fig.layout.xaxis.tickangle == 0
    assert 0 < len(fig.layout.xaxis.tickvals) <= 6


def test_submissions_split_on_time_late_and_other() -> None:
    counts = pd.DataFrame(
        {
            "meeting": [4, 5, 6],
            "documents": [10, 0, 4],
            "written_submissions": [8, 0, 4],
            "late_documents": [3, 0, 0],
        }
    )
    fig = submissions_per_meeting(counts)
    values = {t.name: list(t.y) for t in fig.data}
    assert values == {
        "Written, on time": [5, 4],
        "Written, after the deadline": [3, 0],
        "Statements and comments": [2, 0],
    }
    assert fig.layout.yaxis.title.text == "Documents (count)"


def test_empty_inputs_give_a_message_not_an_empty_chart() -> None:
    empty = pd.DataFrame(
        {"meeting": [], "documents": [], "written_submissions": [], "late_documents": []}
    )
    fig = submissions_per_meeting(empty)
    assert fig.layout.annotations[0].text == "No submissions stored yet."
