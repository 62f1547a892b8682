"""Charts of the Overview page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .theme import OKABE_ITO, apply_layout, empty_figure


def workplan_timeline(workplan: pd.DataFrame) -> go.Figure:
    """Each meeting on a time axis: its submission deadline, its dates and its topics.

    ``workplan`` has one row per (meeting, topic): meeting, name, start_date, end_date,
    submission_deadline, topic (may be null), topic_short (optional: the short label written
    beside the marker; the full one is in the hover).
    """
    title = "Work plan: meetings, submission deadlines and topics"
    if workplan.empty:
        return empty_figure("No meetings in the reference data.", title=title)
    keys = ["meeting", "name", "start_date", "end_date", "submission_deadline", "agenda"]
    workplan = workplan.fillna({"agenda": ""})
    if "topic_short" not in workplan:
        workplan = workplan.assign(topic_short=workplan["topic"])
    grouped = workplan.groupby(keys, dropna=False)

    def joined(column: str) -> pd.Series:
        return grouped[column].apply(lambda ts: "; ".join(t for t in ts if isinstance(t, str)))

    meetings = (
        pd.concat([joined("topic"), joined("topic_short").rename("short")], axis=1)
        .reset_index()
        .sort_values("meeting")
    )
    meetings["label"] = meetings.apply(
        lambda row: f"Meeting {row['meeting']} ({pd.Timestamp(row['start_date']).year})", axis=1
    )
    meetings["topics"] = meetings.apply(
        lambda row: row["topic"] or row["agenda"] or "No topics",
        axis=1,
    )
    meetings["short"] = meetings.apply(
        lambda row: row["short"] or row["agenda"] or "No topics",
        axis=1,
    )
    fig = go.Figure()
    for _, row in meetings.iterrows():
        fig.add_trace(
            go.Scatter(
                x=[row["submission_deadline"], row["start_date"]],
                y=[row["label"]] * 2,
                mode="lines",
                line={"color": "#9aa0a6", "width": 2},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=meetings["submission_deadline"],
            y=meetings["label"],
            mode="markers",
            name="Submission deadline (3 weeks before)",
            marker={
                "symbol": "diamond-open",
                "size": 11,
                "color": OKABE_ITO[1],
                "line": {"width": 2},
            },
            hovertemplate="%{y}<br>Submissions due %{x|%d %b %Y}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=meetings["start_date"],
            y=meetings["label"],
            mode="markers+text",
            name="Meeting",
            text=meetings["short"],
            textposition="middle right",
            marker={"size": 13, "color": OKABE_ITO[0]},
            customdata=meetings[["end_date", "topics"]],
            hovertemplate="%{y}: %{x|%d %b %Y} to %{customdata[0]|%d %b %Y}"
            "<br>%{customdata[1]}<extra></extra>",
        )
    )
    start = pd.Timestamp(meetings["submission_deadline"].min()) - pd.Timedelta(days=200)
    last = pd.Timestamp(meetings["end_date"].max())
    end = last + pd.Timedelta(days=2300)  # room for the topics written right of the marker
    years = range(start.year + 1, last.year + 2)  # no ticks where no meeting can be
    step = max(1, -(-len(years) // 6))  # at most six ticks: level, in a narrow window too
    # no axis title: the ticks are years, and in a narrow window the title ran into the legend
    fig.update_xaxes(
        tickangle=0,
        range=[start, end],
        tickvals=[pd.Timestamp(year=y, month=1, day=1) for y in years][::step],
        tickformat="%Y",
    )
    fig.update_yaxes(title_text="", autorange="reversed")
    return apply_layout(fig, title=title, height=380)


def submissions_per_meeting(counts: pd.DataFrame) -> go.Figure:
    """Documents received per meeting: written submissions on time and after the deadline,
    and other documents (statements delivered at the meeting, comments).

    ``counts`` has one row per meeting with columns meeting, documents,
    written_submissions, late_documents.
    """
    title = "Documents received per meeting"
    data = counts[counts["documents"] > 0]
    if data.empty:
        return empty_figure("No submissions stored yet.", title=title)
    labels = data["meeting"].map(lambda n: f"Meeting {n}")
    on_time = data["written_submissions"] - data["late_documents"]
    other = data["documents"] - data["written_submissions"]
    fig = go.Figure(
        [
            go.Bar(
                x=labels,
                y=on_time,
                name="Written, on time",
                marker_color=OKABE_ITO[0],
                hovertemplate="%{x}: %{y} written submissions on time<extra></extra>",
            ),
            go.Bar(
                x=labels,
                y=data["late_documents"],
                name="Written, after the deadline",
                marker_color=OKABE_ITO[5],
                hovertemplate="%{x}: %{y} written submissions after the deadline<extra></extra>",
            ),
            go.Bar(
                x=labels,
                y=other,
                name="Statements and comments",
                marker_color="#9aa0a6",
                hovertemplate="%{x}: %{y} statements and comments<extra></extra>",
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Meeting")
    fig.update_yaxes(title_text="Documents (count)")
    return apply_layout(fig, title=title, height=380)
