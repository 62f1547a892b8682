"""Overview: what the store holds per meeting, the work plan's timeline, and where the
data came from. Run with ``streamlit run dashboard.py``."""

import streamlit as st

from ieg_analysis.analytics.overview import meeting_counts, workplan
from ieg_analysis.charts.overview import submissions_per_meeting, workplan_timeline
from ui.common import cached, metric_row, page_header

st.set_page_config(page_title="IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "IEG Analysis: Overview",
    "Submissions and recommendations of the Open-ended Intergovernmental Expert Group on "
    "Cybercrime, by meeting: the meetings before its 2018–2021 work plan and the meetings of "
    "that plan.",
)

if source.documents == 0:
    st.info(
        "The database is empty. Ingest documents with `python -m ieg_analysis ingest` "
        "or rebuild the sample with `python -m ieg_analysis init --sample --force`."
    )
    st.stop()

counts = cached(db, source, meeting_counts)
figures = metric_row()
figures.metric("Documents", f"{source.documents:,}")
figures.metric(
    "Submitting States",
    f"{source.states:,}",
    help="States that sent at least one submission, statement or comment.",
)
figures.metric(
    "Observers",
    f"{source.submitters - source.states:,}",
    help="Organizations, private sector, academia and UNODC programmes that sent at least "
    "one document.",
)
figures.metric(
    "Passages",
    f"{source.passages:,}",
    help="The paragraphs of every stored document, the recommendation lists' included; the "
    "analysis pages count the submissions' passages only.",
)
figures.metric("Recommendations", f"{source.recommendations:,}")

st.plotly_chart(workplan_timeline(cached(db, source, workplan)), width="stretch")

st.subheader("Per meeting")
# the meetings' names are in the timeline above; without them the table fits the width
table = counts.drop(columns=["name", "end_date", "stocktaking"]).assign(
    explore=[
        f"explorer?meeting={n}" if d else ""  # a blank cell, not a grey "None"
        for n, d in zip(counts["meeting"], counts["documents"], strict=True)
    ]
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "meeting": "Meeting",
        "start_date": "Opens",
        "submission_deadline": "Submissions due",
        "documents": "Documents",
        "states": "States",
        "observers": "Observers",
        "passages": st.column_config.NumberColumn("Passages", format="localized"),
        "recommendations": "Recommendations",
        "written_submissions": "Written",
        "late_documents": st.column_config.NumberColumn(
            "Late", help="Written submissions received after the three-week deadline"
        ),
        "explore": st.column_config.LinkColumn(
            "Explorer",
            display_text="open in explorer",
            help="The meeting's passages in the submissions explorer",
        ),
    },
)
st.columns([3, 2])[0].plotly_chart(submissions_per_meeting(counts), width="stretch")

with st.expander("Where the data came from", expanded=False):
    st.markdown(
        f"- **Database:** `{source.name}`\n"
        f"- **Contents:** {source.description}\n"
        f"- **Last ingest:** {source.last_ingest:%d %b %Y %H:%M} UTC\n"
        f"- **Documents / passages / comments:** {source.documents:,} / {source.passages:,} / "
        f"{source.comments:,}\n"
        f"- **Data version:** {source.data_version}"
        if source.last_ingest is not None
        else f"- **Database:** `{source.name}` (no ingest yet)"
    )
