"""The Topics page's distribution chart on a small hand-built frame."""

from __future__ import annotations

import pandas as pd

from ieg_analysis.charts.topics import topic_distribution_chart

LABELS = {"criminalization": "Criminalization", "prevention": "Prevention"}


def test_bars_per_topic_and_a_note_that_a_passage_can_have_several() -> None:
    df = pd.DataFrame(
        {
            "group": [4, 4, 5],
            "topic": ["criminalization", "prevention", "prevention"],
            "share": [0.7, 0.5, 0.2],  # meeting 4 adds up to 120%: passages with both topics
            "passages": [7, 5, 2],
        }
    )
    fig = topic_distribution_chart(df, topic_labels=LABELS, group_label="Meeting")
    bars = {trace.name: list(trace.x) for trace in fig.data}
    assert bars == {"Criminalization": [70.0, 0.0], "Prevention": [50.0, 20.0]}
    assert list(fig.data[0].y) == ["Meeting 4", "Meeting 5"]
    assert "several topics" in fig.layout.xaxis.title.text
    assert fig.layout.title.text == "Passages on each work-plan topic, by meeting"
