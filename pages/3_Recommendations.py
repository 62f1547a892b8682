"""Recommendation coverage (Secretariat): the outcome of the preliminary recommendations,
which work-plan topics they cover thinly, which sub-themes of the submissions they leave
out, and the recommendations themselves, with the model's second opinion on their topic."""

import pandas as pd
import streamlit as st

from ieg_analysis.analytics.filters import ACTOR_TYPE_LABELS, Filters
from ieg_analysis.analytics.recommendations import (
    DISAGREEMENT_SCORE,
    OUTCOME_LABELS,
    THIN_RATIO,
    coverage,
    gap_passages,
    least_covered_topic,
    model_status,
    outcomes_by_topic,
    recommendation_comments,
    recommendation_table,
    subtheme_gaps,
)
from ieg_analysis.charts.recommendations import coverage_chart, gaps_chart, outcomes_bar
from ieg_analysis.export.compilation import plural
from ieg_analysis.reference import load_reference
from ui.common import cached, metric_row, page_header
from ui.filters import filter_panel
from ui.text import escape_markdown

STANDING = ("adopted", "preliminary")


st.set_page_config(
    page_title="Recommendation coverage · IEG Analysis", page_icon="🌐", layout="wide"
)
db, source = page_header(
    "Recommendation coverage",
    "What became of the preliminary recommendations, which work-plan topics they cover "
    "thinly compared with what Member States and observers submitted, and which sub-themes "
    "of the submissions no recommendation takes up.",
)
filters: Filters = filter_panel(
    dimensions=("meetings", "topics", "regions", "states", "actor_types", "languages")
)
st.sidebar.caption(
    "Meeting and topic narrow the recommendations and the submissions. Region, State, "
    "submitter type and language narrow the submissions only (recommendations belong to "
    "the Expert Group, not to a region)."
)
reference = load_reference()
if source.recommendations == 0:
    st.info(
        "No recommendations are stored yet. Ingest a recommendation list with "
        "`python -m ieg_analysis ingest FILE --kind recommendation_list --meeting N "
        "--submitter 'UNODC Secretariat' --actor-type unodc`."
    )
    st.stop()
status = cached(db, source, model_status)

# 1. Outcomes ---------------------------------------------------------------------------
st.header("Outcome of the preliminary recommendations")
outcomes = cached(db, source, outcomes_by_topic, meetings=filters.meetings, topics=filters.topics)
if outcomes.empty:
    st.info(
        "No recommendation in the chosen meetings and topics. Clear the Meeting or Topic filter."
    )
else:
    by_outcome = outcomes.groupby("outcome")["recommendations"].sum()
    figures = metric_row()
    figures.metric("Recommendations", f"{by_outcome.sum():,}")
    for label in ("Adopted", "Merged", "Withdrawn", "Pending"):
        figures.metric(
            label,
            f"{by_outcome.get(label, 0):,}",
            help="Pending: still preliminary, not yet decided at the stock-taking meeting."
            if label == "Pending"
            else None,
        )
    st.plotly_chart(outcomes_bar(outcomes), width="stretch")

# 2. Coverage ---------------------------------------------------------------------------
st.header("Coverage per work-plan topic")
counted = st.radio(
    "Recommendations counted",
    ("all", "standing"),
    format_func={
        "all": "All listed at the meetings",
        "standing": "Still standing (adopted or pending; merged and withdrawn left out)",
    }.get,
    horizontal=True,
)
statuses_counted = STANDING if counted == "standing" else ()
cover = cached(db, source, coverage, filters, statuses=statuses_counted)
totals = cover.iloc[0]
if (
    totals["passages_in_view"] == 0
    and cached(db, source, coverage, Filters()).iloc[0]["passages_in_view"] == 0
):
    st.info(
        "No submission passage is stored yet, so there is nothing to compare the "
        "recommendations with. Add written submissions on the Data page."
    )
elif totals["passages_in_view"] == 0:
    st.info(
        "No submission passage matches these filters ("
        + filters.without("topics").describe(reference)
        + "). Widen them in the sidebar (the topic filter does not narrow this page's "
        "passages)."
    )
elif totals["passages_labelled"] == 0:
    st.info(
        "The submission passages have not been labelled with work-plan topics yet, so there "
        "is nothing to compare the recommendations with. Run the topic classifier on this "
        "database, then reload the page."
    )
elif cover["recommendations"].sum() == 0:
    st.info(
        "No recommendation was listed at the chosen meetings"
        + (" among those still standing" if statuses_counted else "")
        + ", so there is no coverage to compare. Choose a meeting with preliminary "
        "recommendations in the sidebar (the stock-taking meeting consolidates them and lists "
        "none of its own)."
    )
else:
    st.plotly_chart(coverage_chart(cover), width="stretch")
    unlabelled = int(totals["passages_in_view"] - totals["passages_labelled"])
    not_counted = (
        "carries no topic label and is" if unlabelled == 1 else "carry no topic label and are"
    )
    st.caption(
        "**How to read it.** Each topic's share of the "
        f"{plural(int(cover['recommendations'].sum()), 'recommendation')} (blue) beside its "
        "share of the work-plan topic labels the model put "
        f"on {int(totals['passages_labelled']):,} submission passages (orange; a passage "
        "can carry several topics). **Coverage ratio** = recommendation share ÷ passage "
        "share: 1 means as many recommendations as the topic's weight in the submissions; "
        f"below {THIN_RATIO} (red line) the topic is covered thinly. With a meeting filter, "
        "topics not on those meetings' agenda are never called thin. "
        f"{plural(unlabelled, 'passage')} in view {not_counted} not counted. Filters: "
        f"{filters.without('topics').describe(reference)}."
    )
    with st.expander("The numbers behind the chart"):
        st.dataframe(
            cover[
                [
                    "topic",
                    "recommendations",
                    "recommendation_share",
                    "passages",
                    "passage_share",
                    "coverage_ratio",
                    "expected_recommendations",
                ]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "topic": "Topic",
                "recommendations": "Recommendations",
                "recommendation_share": st.column_config.NumberColumn(
                    "Share of recommendations", format="percent"
                ),
                "passages": "Submission passages",
                "passage_share": st.column_config.NumberColumn(
                    "Share of passage labels", format="percent"
                ),
                "coverage_ratio": st.column_config.NumberColumn("Coverage ratio", format="%.3f"),
                "expected_recommendations": st.column_config.NumberColumn(
                    "Recommendations if proportional", format="%.0f"
                ),
            },
        )

# 3. Sub-theme gaps ---------------------------------------------------------------------
st.header("Sub-themes the recommendations leave out")
if cover["recommendations"].sum() == 0:  # nothing listed at these meetings to miss a theme
    st.info(
        "No recommendation counted above was listed at the chosen meetings, so none can "
        "leave a sub-theme out. Choose a meeting with preliminary recommendations in the "
        "sidebar."
    )
else:
    topic_ids = list(reference.topics)
    default_topic = filters.topics[0] if filters.topics else least_covered_topic(cover)
    default_topic = default_topic or topic_ids[0]
    left, right = st.columns([2, 1])
    topic = left.selectbox(
        "Topic",
        topic_ids,
        index=topic_ids.index(default_topic),
        format_func=lambda t: reference.topics[t].label,
        help="Defaults to the topic on the agenda with the lowest coverage ratio.",
    )
    own_vocabulary = right.checkbox(
        "Only this topic's own vocabulary",
        value=True,
        help="Off: also terms of other topics' vocabularies that the passages on this topic use.",
    )
    if not status.has_terms:
        st.info(
            "No vocabulary terms have been matched in the passages yet: they are produced with "
            "the topic model's labels. Run the classifier on this database, then reload the page."
        )
    else:
        gaps = cached(db, source, subtheme_gaps, filters, topic, own_vocabulary=own_vocabulary)
        if gaps.empty:
            st.info(
                f"No sub-theme of {reference.topics[topic].label} is raised in at least two "
                "submission passages while being absent or rare in its recommendations. Choose "
                "another topic, clear filters, or include other topics' vocabulary."
            )
        else:
            first = gaps.iloc[0]
            st.caption(
                f"Terms mentioned in the {int(first['topic_passages']):,} submission passages on "
                "the topic at least twice as often (in share) as in its "
                f"{plural(int(first['topic_recommendations']), 'recommendation')}; "
                "widest gap first."
            )
            st.plotly_chart(gaps_chart(gaps, topic=reference.topics[topic].label), width="stretch")
            term_id = st.selectbox(
                "Show the passages that raise",
                gaps["term_id"].tolist(),
                format_func=dict(zip(gaps["term_id"], gaps["label"], strict=True)).get,
            )
            chosen = gaps.set_index("term_id").loc[term_id]
            passages = cached(db, source, gap_passages, filters, topic, term_id)
            st.caption(
                f"{plural(int(chosen['passages']), 'passage')} from "
                f"{plural(int(chosen['states']), 'State')} "
                f"({plural(int(chosen['submitters']), 'submitter')} in all); "
                f"{plural(int(chosen['recommendations']), 'recommendation')} on the topic "
                + ("mentions" if int(chosen["recommendations"]) == 1 else "mention")
                + " it."
                + (" Showing the first 50." if chosen["passages"] > len(passages) else "")
            )
            st.dataframe(
                passages[
                    ["actor_name", "meeting", "text", "heading", "para_number", "document"]
                ].fillna({"heading": "", "para_number": ""}),
                hide_index=True,
                width="stretch",
                column_config={
                    "meeting": st.column_config.NumberColumn("Meeting", width=70),
                    "actor_name": st.column_config.TextColumn("Submitter", width=130),
                    "document": "Document",
                    "heading": "Heading",
                    "para_number": st.column_config.TextColumn("Para.", width=50),
                    "text": st.column_config.TextColumn("Passage", width="large"),
                },
            )


# 4. The recommendations ----------------------------------------------------------------
st.header("The recommendations")
left, middle, right = st.columns([3, 3, 2], vertical_alignment="bottom")
statuses = left.multiselect(
    "Outcome",
    list(OUTCOME_LABELS),
    format_func=OUTCOME_LABELS.get,
    placeholder="All outcomes",
)
search = middle.text_input(
    "Search the text", placeholder="Words, or a reference such as 4.12", max_chars=200
)
disagreements_only = right.checkbox(
    "Only model disagreements",
    help=f"The model's best topic differs from the heading the recommendation was listed "
    f"under, with a score of at least {DISAGREEMENT_SCORE}: worth a reviewer's look.",
)
table = cached(
    db,
    source,
    recommendation_table,
    meetings=filters.meetings,
    topics=filters.topics,
    statuses=tuple(statuses),
    search=search.strip(),
    disagreements_only=disagreements_only,
)
if table.empty:
    st.info(
        "No recommendation matches. Clear the search, the Outcome choice or the "
        "disagreement switch, or the Meeting and Topic filters in the sidebar."
    )
    st.stop()
disagreeing = int(table["disagreement"].sum())
st.caption(
    f"{plural(len(table), 'recommendation')}; the model places {disagreeing:,} of "
    f"{len(table):,} under another topic than the heading they are listed under (⚠ in the "
    "table). Click a row to read it whole with its comments."
)
clear = table["model_score"] >= DISAGREEMENT_SCORE
shown = table.assign(
    flag=table["disagreement"].map({True: "⚠", False: ""}),
    model_short=table["model_short"].where(clear, "no clear topic"),
    merged_into=table["merged_into"].fillna(""),
)
selection = st.dataframe(
    shown[
        [
            "reference",
            "outcome",
            "listed_short",
            "flag",
            "model_short",
            "model_score",
            "merged_into",
            "comments",
            "text",
        ]
    ],
    hide_index=True,
    width="stretch",
    height=420,
    on_select="rerun",
    selection_mode="single-row",
    key="recommendations_table",
    column_config={
        "reference": st.column_config.TextColumn("Ref.", width=55, help="meeting.number"),
        "outcome": st.column_config.TextColumn("Outcome", width=85),
        "listed_short": st.column_config.TextColumn(
            "Listed under", width=160, help="The topic heading it was listed under"
        ),
        "flag": st.column_config.TextColumn(
            "⚠", width=35, help="⚠: the model places it under another topic"
        ),
        "model_short": st.column_config.TextColumn(
            "Model's topic",
            width=160,
            help=f"The model's best topic; 'no clear topic' below a score of {DISAGREEMENT_SCORE}",
        ),
        "model_score": st.column_config.NumberColumn(
            "Score", format="%.2f", width=55, help="The model's score for its best topic"
        ),
        "merged_into": st.column_config.TextColumn("Merged into", width=90),
        "comments": st.column_config.NumberColumn("Comments", width=75),
        "text": st.column_config.TextColumn("Text", width=300),
    },
)
rows = selection.selection.rows if selection is not None else []
if rows:
    row = table.iloc[rows[0]]
    st.subheader(f"Recommendation {row['reference']}")
    st.markdown(escape_markdown(row["text"]))
    model = (
        f"{row['model_topic']} ({row['model_score']:.2f})"
        if row["model_score"] >= DISAGREEMENT_SCORE
        else "no clear topic"
    )
    merged = f", into {row['merged_into']}" if isinstance(row["merged_into"], str) else ""
    st.caption(
        escape_markdown(
            f"Listed under {row['listed_topic']} at meeting {row['meeting']}; "
            f"model's topic: {model}; outcome: {row['outcome']}{merged}."
        )
    )
    comments = cached(db, source, recommendation_comments, int(row["id"]))
    if comments.empty:
        st.caption("No comments on this recommendation.")
    for comment in comments.itertuples(index=False):
        received = "" if pd.isna(comment.received) else f", {comment.received:%d %b %Y}"
        who = ACTOR_TYPE_LABELS.get(comment.actor_type, comment.actor_type)
        st.markdown(
            f"**{escape_markdown(comment.submitter)}** ({escape_markdown(who)}{received}): "
            + escape_markdown(comment.text)
        )
