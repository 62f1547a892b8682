"""Consolidation (Secretariat): the recommendations of all meetings that say the same or
overlapping things, grouped, each group with a suggested wording; accept, split or merge
groups (signed-in Secretariat only); download the consolidated draft list for the
stock-taking meeting."""

import streamlit as st

from ieg_analysis.analytics.recommendations import OUTCOME_LABELS
from ieg_analysis.consolidation import decisions
from ieg_analysis.consolidation.clustering import DEFAULT_THRESHOLD
from ieg_analysis.consolidation.service import (
    ACCEPTED,
    ALREADY_MERGED,
    SUGGESTED,
    consolidate,
    draft_list,
)
from ieg_analysis.errors import IEGError
from ieg_analysis.export.compilation import plural
from ieg_analysis.export.consolidated import consolidated_draft
from ieg_analysis.reference import load_reference
from ui.auth import sign_in_panel, signed_in_user
from ui.common import cached, metric_row, page_header
from ui.text import escape_markdown

NOTICE = "consolidation_notice"
STATES = {SUGGESTED: "Suggested", ACCEPTED: "Accepted", ALREADY_MERGED: "Already merged"}

st.set_page_config(page_title="Consolidation · IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "Consolidation for the stock-taking meeting",
    "Preliminary recommendations of all meetings that say the same or overlapping things, "
    "grouped by the similarity of their words and vocabulary terms, each group with a "
    "suggested wording taken from its members.",
)
if NOTICE in st.session_state:
    st.success(st.session_state.pop(NOTICE))
if source.recommendations == 0:
    st.info(
        "No recommendations are stored yet. Ingest the Rapporteur's lists with "
        "`python -m ieg_analysis ingest FILE --kind recommendation_list --meeting N "
        "--submitter 'UNODC Secretariat' --actor-type unodc`."
    )
    st.stop()

left, middle, right = st.columns([2, 2, 2], vertical_alignment="bottom")
threshold = left.slider(
    "Similarity threshold",
    min_value=0.2,
    max_value=0.9,
    value=DEFAULT_THRESHOLD,
    step=0.025,  # the grid the default was chosen on (ieg consolidate --evaluate)
    format="%.3f",
    help="Recommendations are grouped while their mean similarity (0 to 1) is at least this. "
    f"Lower: bigger groups, more false matches. The default {DEFAULT_THRESHOLD} was chosen on "
    "hand-labelled pairs of recommendations.",
)
shown_states = middle.multiselect(
    "Groups", list(STATES), format_func=STATES.get, placeholder="All groups"
)
across = right.checkbox("Only groups spanning several meetings")
result = cached(db, source, consolidate, threshold)
clusters = result.clusters
figures = metric_row()
withdrawn = max(0, source.recommendations - result.recommendations)
figures.metric(
    "Recommendations (withdrawn left out)",
    f"{result.recommendations:,}",
    help=f"{plural(withdrawn, 'withdrawn recommendation')} of the "
    f"{source.recommendations:,} stored {'is' if withdrawn == 1 else 'are'} not consolidated; "
    "the other pages count all of them.",
)
figures.metric("Groups", f"{len(clusters):,}")
figures.metric("In a group", f"{int(clusters['size'].sum()) if len(clusters) else 0:,}")
figures.metric("Standing alone", f"{result.singletons:,}")
if shown_states:
    clusters = clusters[clusters["state"].isin(shown_states)]
if across:
    clusters = clusters[clusters["n_meetings"] > 1]
if clusters.empty:
    st.info(
        "No group of recommendations matches. Lower the similarity threshold, or clear the "
        "Groups choice and the several-meetings switch."
    )
else:
    shown = (
        f"{len(clusters):,} of {plural(len(result.clusters), 'group')} shown. "
        if len(clusters) < len(result.clusters)
        else ""
    )
    st.caption(shown + "Click a row to see the group's members and act on it.")
    picked = st.dataframe(
        clusters[
            ["cluster", "size", "meetings", "topics", "mean_similarity", "state", "wording"]
        ].assign(state=clusters["state"].map(STATES)),
        hide_index=True,
        width="stretch",
        height=min(320, 35 * (len(clusters) + 1) + 3),  # no blank rows under a short list
        on_select="rerun",
        selection_mode="single-row",
        # a new key when the list changes: a row picked in the old list must not stay
        # picked in the new one (it would be another group)
        key=f"clusters_table-{threshold}-{sorted(shown_states)}-{across}",
        column_config={
            "cluster": st.column_config.NumberColumn("Group", width=60),
            "size": st.column_config.NumberColumn("Members", width=70),
            "meetings": st.column_config.TextColumn("Meetings", width=80),
            "topics": st.column_config.TextColumn("Topics", width=150),
            "mean_similarity": st.column_config.NumberColumn(
                "Similarity", format="%.2f", width=80, help="Mean over the pairs of members"
            ),
            "state": st.column_config.TextColumn("State", width=110),
            "wording": st.column_config.TextColumn("Suggested wording", width="large"),
        },
    )
    rows = picked.selection.rows if picked is not None else []
    chosen = clusters.iloc[rows[0] if rows else 0]
    number = int(chosen["cluster"])
    members = result.members_of(number)
    st.subheader(f"Group {number}: {plural(int(chosen['size']), 'recommendation')}")
    st.markdown(
        "**Suggested wording**, taken from recommendation "
        + escape_markdown(chosen["representative"])
    )
    st.markdown("> " + escape_markdown(chosen["wording"]))
    decided = (
        f" by {chosen['decided_by']} on {chosen['decided_at']:%d %b %Y %H:%M} UTC"
        if chosen["state"] == ACCEPTED
        else ""
    )
    st.caption(
        escape_markdown(
            f"{STATES[chosen['state']]}{decided}. "
            f"{'Meeting' if int(chosen['n_meetings']) == 1 else 'Meetings'} {chosen['meetings']}; "
            "topics: "
            f"{chosen['topics']}. Similarity: mean {chosen['mean_similarity']:.2f}, lowest "
            f"pair {chosen['min_similarity']:.2f}. Merges {chosen['merges']}."
        )
    )
    if chosen["left_out"]:
        st.warning(
            escape_markdown(
                f"The {'suggested ' if chosen['state'] == SUGGESTED else ''}wording does not "
                f"name what some members ask about: {chosen['left_out']}. "
                + (
                    "Check before accepting; split those members off if they ask for "
                    "something else."
                    if chosen["state"] == SUGGESTED
                    else "The group is settled; split those members off if it should not be."
                )
            ),
            icon=":material/rule:",
        )
    st.dataframe(
        members[["reference", "topic_short", "status", "merged_into", "similarity", "text"]]
        .fillna({"merged_into": ""})
        .assign(status=members["status"].map(OUTCOME_LABELS).fillna(members["status"])),
        hide_index=True,
        width="stretch",
        column_config={
            "reference": st.column_config.TextColumn("Ref.", width=55, help="meeting.number"),
            "topic_short": st.column_config.TextColumn("Listed under", width=130),
            "status": st.column_config.TextColumn("Outcome", width=85),
            "merged_into": st.column_config.TextColumn("Merged into", width=80),
            "similarity": st.column_config.NumberColumn(
                "Similarity", format="%.2f", width=80, help="To the suggested wording"
            ),
            "text": st.column_config.TextColumn("Text", width="large"),
        },
    )
    with st.expander("Similarity of every pair of members"):
        st.dataframe(
            result.pairs[result.pairs["cluster"] == number][["a", "b", "similarity"]],
            hide_index=True,
            column_config={
                "a": "Recommendation",
                "b": "and recommendation",
                "similarity": st.column_config.NumberColumn("Similarity", format="%.2f"),
            },
        )

    st.subheader("Secretariat decisions")
    sign_in_panel("accepting, splitting or merging groups")
    user = signed_in_user()
    if user:
        refs = dict(zip(members["id"], members["reference"], strict=True))
        member_ids = [int(i) for i in members["id"]]

        def act(action, *args) -> None:
            try:
                action(db, *args, user=user, threshold=threshold)
            except IEGError as error:
                st.error(str(error))
                return
            st.session_state[NOTICE] = f"Recorded: {action.__name__} on group {number}."
            st.rerun()

        accept_col, split_col, merge_col = st.columns(3)
        with accept_col.form("accept"):
            rep = st.selectbox(
                "Wording to keep",
                member_ids,
                index=member_ids.index(int(chosen["representative_id"])),
                format_func=refs.get,
            )
            if st.form_submit_button("Accept the group", type="primary"):
                act(decisions.accept, member_ids, rep)
        with split_col.form("split"):
            removed = st.selectbox("Member to take out", member_ids, format_func=refs.get)
            if st.form_submit_button("Split it off"):
                act(decisions.split, member_ids, removed)
        others = result.clusters[result.clusters["cluster"] != number]
        with merge_col.form("merge"):
            other = st.selectbox(
                "Group to merge with",
                others["cluster"].tolist(),
                format_func=lambda c: (
                    f"Group {c}: " + others.set_index("cluster").at[c, "wording"][:60]
                ),
            )
            if st.form_submit_button("Merge the groups") and other is not None:
                second = others.set_index("cluster").at[other, "member_ids"]
                act(decisions.merge, member_ids, list(second))

if len(result.decisions):
    with st.expander(f"Decisions taken ({len(result.decisions)})"):
        st.dataframe(
            result.decisions[["decided_at", "user_name", "action", "note"]],
            hide_index=True,
            width="stretch",
            column_config={
                "decided_at": st.column_config.DatetimeColumn("When (UTC)"),
                "user_name": "Who",
                "action": "Decision",
                "note": st.column_config.TextColumn("What", width="large"),
            },
        )

st.subheader("Consolidated draft list")
# the count from the clusters above; the DOCX is made when downloaded, not on every render
count = len(draft_list(result, list(load_reference().topics)))
path = db.path
st.caption(
    f"{count} consolidated recommendations by work-plan topic, each with the references of "
    "the recommendations it merges (suggested groups included, marked as such)."
)
st.download_button(
    "Download the draft (DOCX)",
    data=lambda: consolidated_draft(type(db)(path), threshold)[0],
    file_name="consolidated-draft.docx",
    on_click="ignore",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
