"""Topics (everyone): how the submissions spread over the six work-plan topics, how sure
the classifier is, how well it scored on text it never saw, and why a passage got a label."""

import streamlit as st

from ieg_analysis.analytics.topics import (
    GROUPINGS,
    confidence_distribution,
    diagnostic_summary,
    evaluation_table,
    explain_label,
    heldout_summary,
    labelled_passages,
    model_report,
    term_spans,
    topic_distribution,
    unclassified_summary,
    warm_explanations,
    without_topic,
)
from ieg_analysis.charts.topics import (
    calibration_chart,
    confidence_histogram,
    topic_distribution_chart,
)
from ieg_analysis.errors import IEGError
from ieg_analysis.export.compilation import plural
from ieg_analysis.reference import REGION_SCHEMES, load_reference
from ui.common import cached, metric_row, page_header, sample_tagger, settings
from ui.filters import filter_panel
from ui.text import escape_markdown, highlight_spans


def four_decimals(scores) -> dict:
    """The F1 columns with four decimals: 0.8496 is not the 0.85 target."""
    return {c: st.column_config.NumberColumn(format="%.4f") for c in scores.columns if "F1" in c}


st.set_page_config(page_title="Topics · IEG Analysis", page_icon="🏷️", layout="wide")
db, source = page_header(
    "Topics",
    "Every passage is classified by a model trained on labelled passages shipped with the "
    "product: six work-plan topics (several or none per passage) and capacity building "
    "(a need, an offer, or neither).",
)
reference = load_reference()
labels = {t.id: t.label for t in reference.topics.values()}
filters = filter_panel()
report = cached(db, source, model_report)
if report is None:
    st.info("Nothing has been classified yet: run `python -m ieg_analysis classify`.")
    st.stop()

by = (
    st.segmented_control(
        "Compare by", list(GROUPINGS), format_func=GROUPINGS.get, default="meeting", key="topics_by"
    )
    or "meeting"
)
group_label = "Meeting" if by == "meeting" else REGION_SCHEMES[filters.region_column]
st.plotly_chart(
    topic_distribution_chart(
        cached(db, source, topic_distribution, filters, by),
        topic_labels=labels,
        group_label=group_label,
        only=filters.topics,
    ),
    width="stretch",
)

left, right = st.columns(2)
left.plotly_chart(
    confidence_histogram(cached(db, source, confidence_distribution, filters)), width="stretch"
)
unclassified = cached(db, source, unclassified_summary, filters)
with right:
    st.subheader("Not classified, and no topic")
    if unclassified.empty:
        st.caption("Every passage in view is in a language the models cover: all were classified.")
    else:
        st.caption(
            "Not classified: passages in a language the models do not cover are never forced "
            "into a label."
        )
        st.dataframe(unclassified, hide_index=True, width="stretch")
    untopical = cached(db, source, without_topic, filters, by)
    st.caption(
        f"No topic: {plural(untopical, 'classified passage')} in view "
        f"{'carries' if untopical == 1 else 'carry'} none of the six topics (procedural text, "
        "greetings, subjects outside the work plan). The shares above count them in the "
        "whole but in no bar."
    )

st.header("How well the model does on text it never saw")
evaluation = report["evaluation"]
st.caption(
    f"Model version {escape_markdown(report['version'])}, evaluated on a held-out set of "
    "passages written independently of the training data."
)
if not evaluation:
    st.info(
        "This model version has no evaluation report; run `python -m ieg_analysis "
        "evaluate` and classify again."
    )
else:
    summary = heldout_summary(report)
    main = summary.iloc[0]
    figures = metric_row()
    figures.metric(
        "Topic macro-F1",
        f"{main['topic macro-F1']:.4f}",
        help="Mean F1 over the six topics; the target is 0.85 or more.",
    )
    figures.metric(
        "Need / offer macro-F1",
        f"{main['need / offer macro-F1']:.4f}",
        help="Mean F1 of the need and offer labels; the target is 0.80 or more.",
    )
    figures.metric("Held-out passages", f"{int(main['passages']):,}")
    if len(summary) > 1:
        st.caption(
            "Every held-out set the model was scored on, each written independently of the "
            "training data by a different writer (the first is detailed below)."
        )
        st.dataframe(
            summary,
            hide_index=True,
            width="stretch",
            column_config=four_decimals(summary),
        )
    diagnostic = diagnostic_summary(report)
    if not diagnostic.empty:
        st.caption(
            "A harder test, not one of the targets: the passages of whole documents written by "
            "writers who labelled nothing (titles and headings left out, as the product leaves "
            "them out), labelled by two other readers. Expect passages of real submissions to "
            "score nearer this than the held-out sets."
        )
        st.dataframe(
            diagnostic,
            hide_index=True,
            width="stretch",
            column_config=four_decimals(diagnostic),
        )
    st.dataframe(
        evaluation_table(report, labels),
        hide_index=True,
        width="stretch",
        column_config={
            **{
                c: st.column_config.NumberColumn(
                    c.capitalize() if c != "f1" else "F1", format="%.2f"
                )
                for c in ("precision", "recall", "f1")
            },
            "classifier": "Classifier",
            "label": "Label",
            "support": st.column_config.NumberColumn(
                "n", format="%d", help="Held-out passages with the label"
            ),
        },
    )
    calibration, _ = st.columns([3, 2])
    calibration.plotly_chart(
        calibration_chart(
            evaluation.get("calibration", {}).get("topics", {}).get("bins", []),
            title="Topic scores: stated confidence vs share right",
        ),
        width="stretch",
    )
with st.expander("Training data per language"):
    st.json(report["meta"].get("languages", {}), expanded=False)

st.header("Passages and their evidence")
choice = st.columns([2, 1])
# the passages' topic follows the sidebar's topic filter whenever that filter changes
if filters.topics and st.session_state.get("topics_filter_topics") != list(filters.topics):
    st.session_state["topics_topic"] = filters.topics[0]
st.session_state["topics_filter_topics"] = list(filters.topics)
topic = choice[0].selectbox("Topic", list(labels), format_func=labels.get, key="topics_topic")
order = choice[1].radio(
    "Show",
    ["confident", "uncertain"],
    horizontal=True,
    format_func={"confident": "Most confident", "uncertain": "Least confident"}.get,
)
passages = cached(db, source, labelled_passages, filters, topic, order=order)
if passages.empty:
    st.info("No passage in view carries this topic; clear a filter in the sidebar.")
    st.stop()
rows = passages.astype(object).where(passages.notna(), None).head(15)
tag = sample_tagger(db, source, rows["passage_id"])
for _, row in rows.iterrows():
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(row['actor_name'])}** · meeting {row['meeting']} · "
            f"{labels[topic]} score **{row['score']:.2f}**{tag(row['passage_id'])}"
        )
        terms = list(row["terms"]) if row["terms"] is not None else []
        st.markdown(highlight_spans(row["text"], term_spans(row["text"], row["language"])))
        if terms:
            st.caption("Vocabulary terms: " + escape_markdown(", ".join(terms)))
        if st.toggle("Why this label?", key=f"why-{row['passage_id']}"):
            try:
                why = explain_label(settings().model_dir, row["text"], topic, row["language"])
            except IEGError as error:
                st.warning(str(error))
            else:
                words = ", ".join(f"{w} ({d:+.1f})" for w, d in why["weights"])
                st.caption(
                    "Words that weigh most (how much the model's log-odds for the label fall "
                    "without them; 0.7 halves the odds): "
                    + escape_markdown(words or "no single word: the label rests on many")
                )

# Load the explanation model once the page is drawn (about 3 s in the background, once per
# server process), so the first "Why this label?" does not wait for it.
warm_explanations(settings().model_dir)
