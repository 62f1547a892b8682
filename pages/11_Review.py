"""Label review (Secretariat): the passages the model is least sure of, or whose document
heading names another topic, one at a time; a signed-in Secretariat user confirms or
corrects the six topic labels and need / provision / none ("Save and next", or Enter in the
note). Corrections win over the model everywhere and feed `ieg train --with-corrections`;
the model versions are listed with their held-out evaluation and what each labelled."""

import streamlit as st

from ieg_analysis.analytics.filters import KIND_LABELS, LANGUAGE_LABELS
from ieg_analysis.errors import IEGError
from ieg_analysis.records import CAPACITY_LABELS, TOPIC_IDS
from ieg_analysis.reference import load_reference
from ieg_analysis.review.corrections import correct_labels, corrections
from ieg_analysis.review.queue import MODES, queue_counts, review_queue
from ieg_analysis.review.versions import model_versions
from ui.auth import sign_in_panel, signed_in_user
from ui.common import cached, metric_row, page_header, sample_tagger
from ui.filters import filter_panel
from ui.text import escape_markdown

NOTICE, ROUND = "review_notice", "review_round"
DONE = "review_done"  # the passages saved or skipped in this session
CAPACITY = {"need": "Need", "provision": "Offer (provision)", "none": "Neither"}

st.set_page_config(page_title="Label review · IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "Label review",
    "Passages the model is least sure of, or whose heading names a topic the model did not "
    "give, for the Secretariat to confirm or correct. A correction wins over the model on "
    "every page, count and export, and `ieg train --with-corrections` retrains with them.",
)
labels = {t.id: t.label for t in load_reference().topics.values()}
filters = filter_panel()
if NOTICE in st.session_state:
    st.success(st.session_state.pop(NOTICE))

counts = cached(db, source, queue_counts, filters)
figures = metric_row()
figures.metric("To review", f"{counts['review']:,}", help="Unsure, or heading disagrees")
figures.metric("Heading disagrees", f"{counts['disagree']:,}")
figures.metric(
    "Not reviewed yet",
    f"{counts['uncertain']:,}",
    help="Classified passages under these filters that nobody has reviewed, the "
    "recommendation lists' paragraphs included (the analysis pages leave those out).",
)
figures.metric("Reviewed", f"{counts['corrected']:,}")
left, right = st.columns([3, 1], vertical_alignment="bottom")
mode = left.radio("Queue", list(MODES), format_func=MODES.get, horizontal=True)
include = right.checkbox("Include reviewed passages")
queue = cached(db, source, review_queue, filters, mode=mode, include_corrected=include, limit=50)
queue = queue[~queue["passage_id"].isin(st.session_state.get(DONE, []))]

if queue.empty:
    st.info("No passage waits for review in this queue under these filters.")
else:
    st.caption(
        "Sorted by the model's closest call on each passage, the one nearest to going the "
        "other way first (a topic score at its threshold, or need, offer and neither nearly "
        "tied; see Closest call). Click a row to review another passage."
    )
    picked = st.dataframe(
        queue.assign(
            labels=queue["topic_labels"].map(lambda ts: ", ".join(labels[t] for t in ts)),
            heading_topic=queue["heading_topic"].map(labels.get).fillna(""),
            capacity_label=queue["capacity_label"].map(CAPACITY),
        )[["passage_id", "closest_call", "disagrees", "heading_topic", "labels", "capacity_label"]],
        hide_index=True,
        width="stretch",
        height=240,
        on_select="rerun",
        selection_mode="single-row",
        key=f"queue_{st.session_state.get(ROUND, 0)}",
        column_config={
            "passage_id": st.column_config.NumberColumn("Passage", format="%d", width=70),
            "closest_call": st.column_config.TextColumn(
                "Closest call",
                width="medium",
                help="Why the passage is this high in the queue: the model's call on it that "
                "is nearest to going the other way. Either the topic score nearest its "
                "threshold (at or above it, the topic is given), or the two likeliest of need, "
                "offer and neither, whichever is closer (a topic's distance counts double). "
                "Rows are sorted by that distance, smallest first.",
            ),
            "disagrees": st.column_config.CheckboxColumn("Heading differs", width=115),
            "heading_topic": "Heading's topic",
            "labels": st.column_config.TextColumn("Labels now", width="large"),
            "capacity_label": "Capacity",
        },
    )
    rows = picked.selection.rows if picked is not None else []
    row = queue.iloc[rows[0] if rows else 0]
    pid = int(row["passage_id"])
    now = list(row["topic_labels"])
    st.subheader(f"Passage {pid}")
    tag = sample_tagger(db, source, [pid])
    where = (
        f"{row['actor_name']}, meeting {row['meeting']}, "
        f"{KIND_LABELS.get(row['kind'], row['kind'])}, "
        f"{LANGUAGE_LABELS.get(row['language'], row['language'] or 'language undetermined')}"
    )
    st.caption(escape_markdown(f"{where}. Heading: {row['heading'] or '(none)'}{tag(pid)}"))
    st.markdown(escape_markdown(row["text"]))
    scores = ", ".join(f"{labels[t]} {row[t]:.2f}" for t in TOPIC_IDS)
    st.caption(
        escape_markdown(
            f"Model {row['model_version']}: {scores}. Need {row['need']:.2f}, offer "
            f"{row['provision']:.2f}, neither {row['no_capacity']:.2f}."
            + (" Already reviewed." if row["corrected"] else "")
        )
    )
    sign_in_panel("correcting a label")
    user = signed_in_user()
    if user:
        with st.form(f"review_{pid}"):
            st.markdown("**Work-plan topics** (several or none)")
            boxes = st.columns(3)
            chosen = [
                t
                for i, t in enumerate(TOPIC_IDS)
                if boxes[i % 3].checkbox(labels[t], value=t in now, key=f"topic_{pid}_{t}")
            ]
            capacity = st.radio(
                "Capacity building",
                CAPACITY_LABELS,
                index=CAPACITY_LABELS.index(row["capacity_label"] or "none"),
                format_func=CAPACITY.get,
                horizontal=True,
            )
            note = st.text_input("Note (optional; Enter saves)", max_chars=300)
            save = st.form_submit_button("Save and next", type="primary")
            skip = st.form_submit_button("Skip")
        if save:
            try:
                correct_labels(db, pid, topics=chosen, capacity=capacity, user=user, note=note)
            except IEGError as error:
                st.error(str(error))
            else:
                same = set(chosen) == set(now) and capacity == row["capacity_label"]
                st.session_state[NOTICE] = (
                    f"Passage {pid}: labels {'confirmed' if same else 'corrected'}."
                )
                st.session_state.setdefault(DONE, []).append(pid)
                st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
                st.rerun()
        if skip:
            st.session_state.setdefault(DONE, []).append(pid)
            st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
            st.rerun()

reviewed = cached(db, source, corrections)
if len(reviewed):
    with st.expander(f"Reviews recorded ({len(reviewed)} latest)"):
        st.dataframe(
            reviewed[
                [
                    "corrected_at",
                    "user_name",
                    "passage_id",
                    "before_topics",
                    "after_topics",
                    "before_capacity",
                    "after_capacity",
                    "note",
                ]
            ],
            hide_index=True,
            width="stretch",
            column_config={"corrected_at": st.column_config.DatetimeColumn("When (UTC)")},
        )

st.subheader("Model versions")
versions = cached(db, source, model_versions)
if versions.empty:
    st.info("No model has classified anything yet: run `python -m ieg_analysis classify`.")
else:
    st.dataframe(
        versions,
        hide_index=True,
        width="stretch",
        column_config={
            "version": "Version",
            "current": st.column_config.CheckboxColumn("Current"),
            "created_at": st.column_config.DatetimeColumn("Registered (UTC)"),
            "training_passages": st.column_config.NumberColumn(
                "Training passages", format="localized"
            ),
            "trained_on_corrections": "Of which corrections",
            "topics_macro_f1": st.column_config.NumberColumn("Topics macro-F1", format="%.3f"),
            "capacity_macro_f1": st.column_config.NumberColumn(
                "Capacity macro-F1", format="%.3f", help="Over need, offer and neither"
            ),
            "need_provision_macro_f1": st.column_config.NumberColumn(
                "Need/offer macro-F1",
                format="%.3f",
                help="Over need and offer only: the issue's target (0.80)",
            ),
            "evaluated_on": "Held-out set",
            "passages_labelled": "Passages labelled",
            "corrections_of_its_labels": "Reviews of its labels",
        },
    )
