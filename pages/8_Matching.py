"""Needs and offers (UNODC programme staff): each State's need for capacity building with
the submitters that offer help on the same topic and sub-themes, best first, both passages
side by side; who offers to which regions; and the needs nobody offers to meet."""

import streamlit as st

from ieg_analysis.analytics.filters import ACTOR_TYPE_LABELS
from ieg_analysis.analytics.matching import (
    match_flows,
    matched_need_ids,
    matches_for_export,
    matching_totals,
    need_offer_matches,
    term_labels,
    unmet_needs,
)
from ieg_analysis.analytics.topics import capacity_caveat, model_report
from ieg_analysis.charts.matching import providers_sankey
from ieg_analysis.errors import IEGError
from ieg_analysis.export.tables import to_xlsx_bytes
from ieg_analysis.reference import REGION_SCHEMES, load_reference
from ui.common import cached, metric_row, page_header, provenance, sample_tagger
from ui.filters import filter_panel
from ui.text import escape_markdown

st.set_page_config(page_title="Needs and offers · IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "Needs and offers",
    "For each need for capacity building a State expressed, who offers help on the same "
    "work-plan topic and sub-themes — and which needs nobody offers to meet.",
)
filters = filter_panel()
st.sidebar.caption(
    "The filters choose the needs. Offers are searched in every meeting and region; the "
    "submitter-type and document-kind filters narrow the offers. A need is matched on every "
    "topic and sub-theme it carries, not only on the topic filter's: the Shared topics "
    "column says which."
)
reference = load_reference()
topics = {t.id: t.label for t in reference.topics.values()}
terms = cached(db, source, term_labels)
region_label = REGION_SCHEMES[filters.region_column]

try:
    totals = cached(db, source, matching_totals, filters)
except IEGError as error:
    st.info(f"{error} Narrow the filters (a meeting, a region) and try again.")
    st.stop()
if totals["needs"] == 0:
    st.info(
        "No State expressed a need for capacity building under these filters. Clear some "
        "filters in the sidebar: needs come from written submissions, statements and "
        "comments of States."
    )
    st.stop()
figures = metric_row()
figures.metric("Need passages", f"{totals['needs']:,}", help="Of States, under the filters.")
figures.metric(
    "Needs with an offer",
    f"{totals['matched']:,}",
    help="Another submitter offers help on a work-plan topic or a sub-theme term the need "
    "carries. A shared topic alone is a loose match: see the next figure.",
)
figures.metric(
    "… on a shared sub-theme",
    f"{totals['term_matched']:,}",
    help="Needs that an offer shares a vocabulary term with (e.g. digital forensics, "
    "24/7 network), not only a work-plan topic. A need that names no term is not counted.",
)
figures.metric("Needs nobody offers to meet", f"{totals['unmet']:,}")
figures.metric(
    "Offering submitters",
    f"{totals['providers']:,}",
    help="Submitters with an offer that shares a work-plan topic or a vocabulary term with at "
    "least one need in view (not only those listed below, which are the best few per need).",
)

left, right = st.columns(2)
per_need = left.slider("Offers listed per need", 1, 10, 3, key="match_per_need")
best_only = right.toggle(
    "Chart: only the best offer of each need", key="match_best_only", value=False
)
try:
    flows = cached(db, source, match_flows, filters, per_need=per_need, best_only=best_only)
except IEGError as error:  # e.g. the query's time limit on a very large database
    st.info(f"{error} Narrow the filters (a meeting, a region) and try again.")
    st.stop()
st.plotly_chart(providers_sankey(flows, region_label=region_label), width="stretch")
st.caption(
    f"Left: who offers (colour: submitter type; the 12 who meet most needs by name). "
    f"Right: the States whose needs their offers match, by {region_label}. "
    "Width, and the number beside each submitter: need passages for which it is among the "
    "offers listed per need. " + capacity_caveat(cached(db, source, model_report))
)

st.subheader("Each need with the best-matching offers")
st.caption(
    "Ranked by: a shared work-plan topic first, then the overlap of vocabulary terms "
    "(Jaccard: shared ÷ all terms of both passages), then an offer from the same region, "
    "then in the same language. Choose a row to read both passages side by side."
)


def _labels(values, labels) -> str:
    return ", ".join(labels.get(v, str(v).replace("_", " ")) for v in values)


NEEDS_PER_PAGE = 25
EXPORT_TIMEOUT_S = 600.0
pages = max(1, -(-totals["matched"] // NEEDS_PER_PAGE))
page = 1
if pages > 1:
    page = st.number_input(
        f"Page (of {pages:,}; {NEEDS_PER_PAGE} needs a page)",
        min_value=1,
        max_value=pages,
        value=1,
        key="match_page",
    )
shown_ids = cached(  # the needs of this page, of those with a match
    db,
    source,
    matched_need_ids,
    filters,
    offset=(int(page) - 1) * NEEDS_PER_PAGE,
    limit=NEEDS_PER_PAGE,
)
matches = cached(
    db,
    source,
    need_offer_matches,
    filters,
    per_need=per_need,
    need_ids=tuple(int(i) for i in shown_ids),
)


def _export(filters=filters, per_need=per_need) -> bytes:
    """All the matches as XLSX, made when the user asks for the download (not on every
    render: at a million passages that is a hundred thousand rows)."""
    patient = type(db)(db.path, timeout_s=EXPORT_TIMEOUT_S, row_cap=db.row_cap)
    everything = need_offer_matches(patient, filters, per_need=per_need)
    return to_xlsx_bytes(
        matches_for_export(everything, topic_labels=topics, term_labels=terms),
        provenance(source, filters.describe(reference)),
        sheet="matches",
    )


if matches.empty:
    st.info("No offer matches these needs. Widen the filters or the submitter types.")
else:
    table = matches.assign(
        shared_topics=matches["shared_topics"].map(lambda v: _labels(v, topics)),
        shared_terms=matches["shared_terms"].map(lambda v: _labels(v, terms)),
        provider_type=matches["provider_type"].map(ACTOR_TYPE_LABELS),
    )
    shown = st.dataframe(
        table[
            [
                "need_state",
                "need_region",
                "need_text",
                "rank",
                "provider",
                "provider_type",
                "shared_topics",
                "shared_terms",
                "term_jaccard",
                "same_region",
                "same_language",
                "offer_text",
            ]
        ],
        column_config={
            "need_state": "State with the need",
            "need_region": region_label,
            "need_text": st.column_config.TextColumn("Need", width="medium"),
            "rank": st.column_config.NumberColumn("Rank", format="%d"),
            "provider": "Who offers",
            "provider_type": "Type",
            "shared_topics": "Shared topics",
            "shared_terms": "Shared terms",
            "term_jaccard": st.column_config.ProgressColumn(
                "Term overlap", format="%.2f", min_value=0, max_value=1
            ),
            "same_region": "Same region",
            "same_language": "Same language",
            "offer_text": st.column_config.TextColumn("Offer", width="medium"),
        },
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        # a new key when the rows change: a row picked before must not stay picked in a
        # different list (it would open another need's detail)
        key=f"match_table-{filters!r}-{per_need}-{int(page)}",
    )
    for row in shown.selection.rows:
        match = matches.iloc[row]
        tag = sample_tagger(db, source, [match["need_id"], match["offer_id"]])
        reasons = [
            f"shared topics: {_labels(match['shared_topics'], topics) or 'none'}",
            f"shared terms: {_labels(match['shared_terms'], terms)} "
            f"(overlap {match['term_jaccard']:.2f})"
            if len(match["shared_terms"])
            else "no shared vocabulary term (a match on the topic only)",
        ]
        reasons += ["same region"] if match["same_region"] else []
        reasons += ["same language"] if match["same_language"] else []
        reasons += [  # a need or offer near 0.5 is the model's coin toss: worth reading
            f"the model's confidence: need {match['need_score']:.2f}, "
            f"offer {match['offer_score']:.2f}"
        ]
        st.caption(escape_markdown(f"Rank {match['rank']} for this need: " + "; ".join(reasons)))
        need_side, offer_side = st.columns(2)
        for side, who, prefix, heading in (
            (need_side, match["need_state"], "need", "Need"),
            (offer_side, match["provider"], "offer", "Offer"),
        ):
            box = side.container(border=True)
            box.markdown(f"**{heading}: {escape_markdown(str(who))}**")
            para = match[f"{prefix}_para"]
            box.caption(
                escape_markdown(
                    f"meeting {match[f'{prefix}_meeting']} · {match[f'{prefix}_document']}"
                    f" · para. {para if isinstance(para, str) and para else '–'}"
                    + tag(match[f"{prefix}_id"])
                )
            )
            box.markdown(escape_markdown(str(match[f"{prefix}_text"])))
    st.download_button(
        "Download the matches (XLSX)",
        _export,
        file_name="ieg-needs-and-offers.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="match_download",
        on_click="ignore",  # the page need not be recomputed for a download
    )

st.subheader("Needs nobody offers to meet")
UNMET_SHOWN = 500
unmet = cached(db, source, unmet_needs, filters, limit=UNMET_SHOWN)
if unmet.empty:
    st.success("Every need under these filters has at least one matching offer.")
else:
    st.dataframe(
        unmet.assign(topics=unmet["topics"].map(lambda v: _labels(v, topics)))[
            ["state", "region", "meeting", "topics", "text", "reason"]
        ],
        column_config={
            "state": "State",
            "region": region_label,
            "meeting": st.column_config.NumberColumn("Meeting", format="%d"),
            "topics": "Topics",
            "text": st.column_config.TextColumn("Need", width="large"),
            "reason": "Why nothing matches",
        },
        hide_index=True,
        width="stretch",
    )
    if totals["unmet"] > len(unmet):
        st.caption(f"The first {len(unmet):,} of {totals['unmet']:,}, by region and State.")
