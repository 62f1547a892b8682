"""Work-plan tracker (Secretariat): each meeting's dates, topics and submission deadline; the
written submissions received on time and late per region; and, for the stock-taking
meeting, the comments received on each preliminary recommendation and its status."""

import pandas as pd
import streamlit as st

from ieg_analysis.analytics.tracker import (
    comments_by_status,
    recommendation_comments_status,
    schedule,
    stocktaking_meeting,
    submissions_timeliness,
)
from ieg_analysis.charts.tracker import comments_bars, timeliness_bars
from ieg_analysis.reference import REGION_SCHEMES, load_reference
from ui.common import cached, metric_row, page_header
from ui.filters import filter_panel

st.set_page_config(page_title="Work-plan tracker · IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "Work-plan tracker",
    "Each meeting's dates, topics and submission deadline; which written submissions came "
    "on time; the comments on the preliminary recommendations before the stock-taking.",
)
filters = filter_panel(
    dimensions=("meetings", "topics", "regions", "states", "actor_types", "languages")
)
st.sidebar.caption(
    "Every filter narrows the timeliness chart. The meetings table follows the meeting "
    "filter and the recommendations the topic filter; both count the comments of every "
    "submitter, whatever the region, State, submitter type or language filters."
)
reference = load_reference()
region_label = REGION_SCHEMES[filters.region_column]
st.caption(
    f"Deadline: {reference.deadline_days} days before the first day of the meeting (work "
    "plan, annotation 4). A submission received on the deadline day is on time."
)

# 1. The meetings -------------------------------------------------------------------------
meetings = cached(db, source, schedule, meetings=filters.meetings)
st.dataframe(
    meetings.assign(
        topics=meetings["topics"]
        .map("; ".join)
        .where(meetings["topics"].map(len) > 0, meetings["agenda"])
    )[
        [
            "meeting",
            "name",
            "start_date",
            "submission_deadline",
            "topics",
            "written_submissions",
            "on_time",
            "late",
            "undated",
            "comments",
        ]
    ],
    column_config={
        "meeting": st.column_config.NumberColumn("No.", format="%d"),
        "name": "Meeting",
        "start_date": st.column_config.DateColumn("Opens", format="D MMM YYYY"),
        "submission_deadline": st.column_config.DateColumn("Deadline", format="D MMM YYYY"),
        "topics": st.column_config.TextColumn("Topics (or agenda)", width="medium"),
        "written_submissions": st.column_config.NumberColumn(
            "Written", help="Written submissions received for the meeting"
        ),
        "on_time": "On time",
        "late": "Late",
        "undated": st.column_config.NumberColumn(
            "No date", help="Written submissions without a received date"
        ),
        "comments": st.column_config.NumberColumn(
            "Comments", help="Comments on the preliminary recommendations"
        ),
    },
    hide_index=True,
    width="stretch",
)

# 2. On time and late per region ------------------------------------------------------------
st.subheader("Written submissions on time and late, per region")
timely = cached(db, source, submissions_timeliness, filters)
if timely.empty:
    st.info(
        "No written submission matches these filters. Clear some filters in the sidebar "
        "(statements are delivered at the meeting and are never counted as late)."
    )
else:
    numbers = sorted(timely["meeting"].unique())
    meeting = st.selectbox(
        "Meeting",
        numbers,
        index=len(numbers) - 1,
        format_func=lambda n: reference.meetings[n].name,
        key="tracker_meeting",
    )
    one = timely[timely["meeting"] == meeting]
    st.plotly_chart(
        timeliness_bars(
            one,
            meeting_label=reference.meetings[meeting].name.lower(),
            region_label=region_label,
        ),
        width="stretch",
    )
    st.dataframe(
        one.assign(
            late_submitters=one["late_submitters"].map(", ".join),
            on_time_share=one["on_time_share"] * 100,
            most_days_late=one["most_days_late"].map(
                lambda days: "" if days is None or days is pd.NA else f"{int(days)} days"
            ),
        )[
            [
                "region",
                "submissions",
                "on_time",
                "late",
                "undated",
                "on_time_share",
                "most_days_late",
                "late_submitters",
            ]
        ],
        column_config={
            "region": region_label,
            "submissions": "Written submissions",
            "on_time": "On time",
            "late": "Late",
            "undated": "No date",
            "on_time_share": st.column_config.ProgressColumn(
                "On time (of dated)", format="%.0f%%", min_value=0, max_value=100
            ),
            "most_days_late": st.column_config.TextColumn(
                "Latest arrival", help="Days after the deadline of the latest submission."
            ),
            "late_submitters": st.column_config.TextColumn("Late submitters", width="large"),
        },
        hide_index=True,
        width="stretch",
    )

# 3. Stock-taking: comments on the preliminary recommendations ------------------------------
number = cached(db, source, stocktaking_meeting)
title = reference.meetings[number].name if number in reference.meetings else "Stock-taking"
st.subheader(f"{title}: comments on the preliminary recommendations")
recommendations = cached(db, source, recommendation_comments_status, topics=filters.topics)
if recommendations.empty:
    st.info(
        "No preliminary recommendation is stored for the meetings before the stock-taking "
        "meeting (or none under the topic filter). Ingest a recommendation list, then the "
        "comments (kind 'comment')."
    )
    st.stop()
figures = metric_row()
figures.metric("Preliminary recommendations", f"{len(recommendations):,}")
figures.metric("With a comment", f"{int((recommendations['comments'] > 0).sum()):,}")
figures.metric("Comments", f"{int(recommendations['comments'].sum()):,}")
figures.metric(
    "Comments after the deadline",
    f"{int(recommendations['late'].sum()):,}",
    help="Received after the stock-taking meeting's submission deadline.",
)
st.plotly_chart(comments_bars(comments_by_status(recommendations)), width="stretch")
only_commented = st.toggle("Only recommendations with comments", key="tracker_commented")
listed = recommendations[recommendations["comments"] > 0] if only_commented else recommendations
st.dataframe(
    listed.assign(
        commenter_names=listed["commenter_names"].map(", ".join),
        merged_into=listed["merged_into"].fillna(""),
    )[
        [
            "reference",
            "topic",
            "outcome",
            "merged_into",
            "comments",
            "commenting_states",
            "on_time",
            "late",
            "commenter_names",
            "text",
        ]
    ],
    column_config={
        "reference": "No.",
        "topic": "Listed under",
        "outcome": "Status",
        "merged_into": "Merged into",
        "comments": "Comments",
        "commenting_states": "States commenting",
        "on_time": "On time",
        "late": "Late",
        "commenter_names": "Who commented",
        "text": st.column_config.TextColumn("Recommendation", width="large"),
    },
    hide_index=True,
    width="stretch",
)
