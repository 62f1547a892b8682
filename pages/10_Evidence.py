"""Recommendation evidence (delegates): the submission passages most similar to a
preliminary recommendation, with their States and regions, and per topic whether some
regions' submissions are reflected less than their share of the submitting States."""

import streamlit as st

from ieg_analysis.analytics.evidence import (
    DEFAULT_TOP,
    TERM_WEIGHT,
    recommendation_evidence,
    region_shares,
    representation,
)
from ieg_analysis.analytics.recommendations import recommendation_table
from ieg_analysis.charts.evidence import evidence_regions_bar, representation_bars
from ieg_analysis.errors import IEGError
from ieg_analysis.export.compilation import plural
from ieg_analysis.reference import REGION_SCHEMES, load_reference
from ui.common import cached, page_header, sample_tagger
from ui.filters import filter_panel
from ui.text import escape_markdown

MATCH_SCORE_MAX = 1 + TERM_WEIGHT  # BM25 scaled to 0–1, plus TERM_WEIGHT × a 0–1 share
MATCH_SCORE = f"Match score (0–{MATCH_SCORE_MAX:g})"

st.set_page_config(
    page_title="Recommendation evidence · IEG Analysis", page_icon="🌐", layout="wide"
)
db, source = page_header(
    "Recommendation evidence",
    "Where a recommendation came from: the submission passages most like it, their States "
    "and regions; and whether some regions are reflected less than others.",
)
filters = filter_panel(
    dimensions=("meetings", "topics", "regions", "states", "actor_types", "languages")
)
st.sidebar.caption(
    "Meeting and topic choose the recommendations. Region, State, submitter type and "
    "language narrow the evidence passages (the representation view compares regions, so "
    "it ignores the region and State filters)."
)
reference = load_reference()
region_label = REGION_SCHEMES[filters.region_column]
recs = cached(db, source, recommendation_table, meetings=filters.meetings, topics=filters.topics)
if recs.empty:
    st.info(
        "No recommendation in the chosen meetings and topics. Clear the Meeting or Topic "
        "filter, or ingest a recommendation list."
    )
    st.stop()

choices = {  # the label shown -> the recommendation id
    f"{row.reference} · {row.listed_short} · "
    + (row.text if len(row.text) <= 90 else row.text[:89] + "…"): int(row.id)
    for row in recs.itertuples()
}
left, right = st.columns([4, 1])
rec_id = choices[left.selectbox("Recommendation", list(choices), key="ev_recommendation")]
top = right.slider("Passages", 3, 30, DEFAULT_TOP, key="ev_top")
chosen = recs[recs["id"] == rec_id].iloc[0]
st.markdown(
    f"**{escape_markdown(str(chosen['reference']))}** "
    f"({escape_markdown(str(chosen['listed_topic']))}, {escape_markdown(chosen['outcome'])}): "
    + escape_markdown(str(chosen["text"]))
)
try:
    evidence = cached(db, source, recommendation_evidence, rec_id, filters, top=top)
except IEGError as error:
    st.info(str(error))
    st.stop()
if evidence.empty:
    st.info(
        "No submission passage up to this recommendation's meeting shares a word or a "
        "vocabulary term with it under these filters. Clear some filters in the sidebar."
    )
else:
    st.plotly_chart(
        evidence_regions_bar(
            region_shares(evidence),
            reference=str(chosen["reference"]),
            region_label=f"{region_label} (States) or submitter type",
        ),
        width="stretch",
    )
    st.caption(
        f"The {plural(len(evidence), 'passage')} of written submissions and statements (up to the "
        "recommendation's meeting) with the highest match score, 0 to "
        f"{MATCH_SCORE_MAX:g}: BM25 on its words, scaled to the best match (0–1), plus "
        f"{TERM_WEIGHT} × the share of its vocabulary terms the passage also raises (0–1). "
        "Choose a row to read the passage whole."
    )
    shown = st.dataframe(
        evidence.assign(
            shared_terms=evidence["shared_terms"].map(lambda v: ", ".join(v).replace("_", " "))
        )
        # the frame's own column name too: the table's CSV download heads it with that name
        .rename(columns={"similarity": MATCH_SCORE})[
            ["rank", "submitter", "region", "meeting", MATCH_SCORE, "shared_terms", "text"]
        ],
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d"),
            "submitter": "Submitter",
            "region": st.column_config.TextColumn(
                "Region or type",
                help=f"A State's {region_label.lower()}; for other submitters, their kind "
                "(private sector, organization, academia, UNODC).",
            ),
            "meeting": st.column_config.NumberColumn("Meeting", format="%d"),
            MATCH_SCORE: st.column_config.NumberColumn(
                MATCH_SCORE,
                format="%.2f",
                help=f"0 to {MATCH_SCORE_MAX:g}: the passage's BM25 score for the "
                "recommendation's words scaled to the best match (0–1), plus "
                f"{TERM_WEIGHT} × the share of the recommendation's vocabulary terms it "
                "also raises. Not a percentage.",
            ),
            "shared_terms": "Shared terms",
            "text": st.column_config.TextColumn("Passage", width="large"),
        },
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="ev_table",
    )
    tag = sample_tagger(db, source, evidence["passage_id"].iloc[list(shown.selection.rows)])
    for row in shown.selection.rows:
        passage = evidence.iloc[row]
        with st.container(border=True):
            st.caption(
                escape_markdown(
                    f"{passage['submitter']} · meeting {passage['meeting']} · {passage['document']}"
                    + tag(passage["passage_id"])
                )
            )
            st.markdown(escape_markdown(str(passage["text"])))

st.subheader("Representation per topic")
topic_ids = [t for t in reference.topics if t in set(recs["topic_id"].dropna())]
if not topic_ids:
    st.info("No recommendation in view is listed under a work-plan topic.")
    st.stop()
default = chosen["topic_id"] if chosen["topic_id"] in topic_ids else topic_ids[0]
if st.session_state.get("ev_topic_of") != rec_id:  # a new recommendation: its topic
    st.session_state["ev_topic_of"] = rec_id
    st.session_state.pop("ev_topic", None)
topic = st.selectbox(
    "Work-plan topic",
    topic_ids,
    index=topic_ids.index(default),
    format_func=lambda t: reference.topics[t].label,
    key="ev_topic",
)
# ranking the evidence of every recommendation of a topic reads the whole search index:
# done when asked for, for the chosen topic, and kept until the data change
if not st.toggle(
    "Compare the regions' share of the evidence with their share of the submitting States",
    key="ev_compare",
    help="Ranks the evidence of every recommendation of the topic: can take a while on a "
    "large database the first time.",
):
    st.caption("Turn on the comparison to see whether some regions are reflected less.")
    st.stop()
try:
    with st.spinner("Ranking the evidence of the topic's recommendations…"):
        shares = cached(db, source, representation, filters, top=top, topic_id=topic)
except IEGError as error:  # e.g. the query's time limit on a very large database
    st.info(str(error))
    st.stop()
if shares.empty:
    st.info("No topic has both recommendations and State submissions under these filters.")
    st.stop()
one = shares[shares["topic_id"] == topic]
st.plotly_chart(
    representation_bars(one, topic_label=reference.topics[topic].label, region_label=region_label),
    width="stretch",
)
st.caption(
    f"Blue: each region's share of the State passages among the {top} most similar passages "
    "of each recommendation listed under the topic. Orange: its share of the States that "
    "submitted on the topic. A ratio below 1 means the region's submissions are reflected "
    "less than its share of the submitting States."
)
st.dataframe(
    one.assign(evidence_share=one["evidence_share"] * 100, state_share=one["state_share"] * 100)[
        [
            "region",
            "evidence_passages",
            "evidence_share",
            "states_submitting",
            "state_share",
            "ratio",
        ]
    ],
    column_config={
        "region": region_label,
        "evidence_passages": "Evidence passages",
        "evidence_share": st.column_config.NumberColumn("Share of evidence", format="%.0f%%"),
        "states_submitting": "States submitting",
        "state_share": st.column_config.NumberColumn("Share of States", format="%.0f%%"),
        "ratio": st.column_config.NumberColumn(
            "Ratio", format="%.2f", help="Share of evidence ÷ share of States (1 = as expected)."
        ),
    },
    hide_index=True,
    width="stretch",
)
