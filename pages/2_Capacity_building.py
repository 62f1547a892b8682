"""Capacity-building needs (UNODC programme staff): which needs are most pressing, in which
regions and on which work-plan topic, and who already offers help there."""

import streamlit as st

from ieg_analysis.analytics.capacity import (
    MEASURES,
    VALUES,
    capacity_totals,
    cell_evidence,
    needs_matrix,
    priority_table,
    providers,
    state_need_intensity,
)
from ieg_analysis.analytics.filters import ACTOR_TYPE_LABELS
from ieg_analysis.analytics.topics import capacity_caveat, model_report
from ieg_analysis.charts.capacity import need_map, needs_heatmap
from ieg_analysis.export.compilation import plural
from ieg_analysis.reference import REGION_SCHEMES, load_reference
from ui.common import cached, metric_row, page_header, sample_tagger
from ui.filters import filter_panel
from ui.text import escape_markdown

TOPOJSON_URL = "/app/static/"  # static/world_110m.json, served by Streamlit (no internet)
VALUE_LABELS = {
    "share_states": "% of submitting States",
    "states": "States (count)",
    "passages": "Passages (count)",
}


st.set_page_config(page_title="Capacity building · IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "Capacity-building needs",
    "Which needs for technical assistance are most pressing, in which regions and on which "
    "work-plan topic, and who already offers help there.",
)
filters = filter_panel()
reference = load_reference()
topics = {t.id: t.label for t in sorted(reference.topics.values(), key=lambda t: t.ordinal)}
region_label = REGION_SCHEMES[filters.region_column]

totals = cached(db, source, capacity_totals, filters)
if totals["states"] == 0:
    st.info(
        "No State submission matches these filters, so there are no needs to show. Clear "
        "some filters in the sidebar: the needs come from written submissions, statements "
        "and comments of States (recommendation lists and observers alone give nothing here)."
    )
    st.stop()

figures = metric_row()
figures.metric("Submitting States", f"{totals['states']:,}")
figures.metric(
    "Need passages",
    f"{totals['need_passages']:,}",
    help="Passages of States that the model labels as a need for capacity building.",
)
figures.metric(
    "Offer passages",
    f"{totals['offer_passages']:,}",
    help="Passages of any submitter (States and observers) labelled as an offer of help.",
)
figures.metric(
    "Needs without a topic",
    f"{totals['untopical_needs']:,}",
    help="Need passages that name no work-plan topic; they appear in no cell below.",
)

left, right = st.columns(2)
value = left.radio("Value", list(VALUES), format_func=VALUES.get, horizontal=True, key="cap_value")
measure = right.radio(
    "Measure",
    list(MEASURES),
    format_func=lambda m: MEASURES[m].capitalize(),
    horizontal=True,
    key="cap_measure",
    help="Needs without an offer from the region: needs of a region on a topic on which no "
    "State of the same region offered help. Offers of UNODC, observers and other regions do "
    "not count here; the Needs and offers page matches each need with every offer.",
)
matrix = cached(db, source, needs_matrix, filters, value=value, measure=measure)
if matrix.empty:
    st.info(
        f"The States under these filters have no {region_label.lower()} (the Holy See has no "
        "UN regional group): pick another region scheme or other States in the sidebar."
    )
    st.stop()
regions = sorted(matrix["region"].unique())
# the cell whose passages are listed: the last one clicked, or the one picked below. Picking
# below starts the heatmap afresh (a new key drops its selection), so that clicking the cell
# that was clicked before counts again.
chart_key = f"needs_heatmap_{st.session_state.get('cap_round', 0)}"


def _picked() -> None:
    st.session_state["cap_round"] = st.session_state.get("cap_round", 0) + 1
    st.session_state.pop("cap_last_click", None)


clicked = st.session_state.get(chart_key) or {}
points = (clicked.get("selection") or {}).get("points") or []
cells = [p.get("customdata") for p in points if len(p.get("customdata") or []) == 2]
if cells and st.session_state.get("cap_last_click") != list(cells[0]):
    st.session_state["cap_last_click"] = list(cells[0])
    st.session_state["cap_region"], st.session_state["cap_topic"] = cells[0]
if st.session_state.get("cap_region") not in regions:  # first view, or gone from the view:
    # open on the first of the priorities below (cached: the table reuses it)
    first = cached(db, source, priority_table, filters).head(1)
    if len(first) and first["region"].iloc[0] in regions:
        st.session_state["cap_region"] = first["region"].iloc[0]
        st.session_state["cap_topic"] = first["topic_id"].iloc[0]
    else:
        st.session_state["cap_region"] = regions[0]
st.session_state.setdefault("cap_topic", next(iter(topics)))
st.plotly_chart(
    needs_heatmap(
        matrix,
        value_label=VALUE_LABELS[value],
        region_label=region_label,
        selected=(st.session_state["cap_region"], st.session_state["cap_topic"]),
    ),
    key=chart_key,
    on_select="rerun",
    selection_mode="points",
    width="stretch",
)
caveat = capacity_caveat(cached(db, source, model_report))
if value == "share_states":
    st.caption(
        f"Share of submitting States: the States of the region that expressed "
        f"{MEASURES[measure]} on the topic, divided by the States of the region that submitted "
        "anything under these filters, so that a State counts once however much it wrote. A "
        "region of few States reaches a high share easily: the hover gives the counts. " + caveat
    )
else:
    st.caption(
        f"{VALUES[value]}: how many {'States' if value == 'states' else 'passages'} of the "
        f"region expressed {MEASURES[measure]} on the topic under these filters. " + caveat
    )

st.subheader("The passages behind a cell")
pick_region, pick_topic = st.columns(2)
region = pick_region.selectbox(region_label, regions, key="cap_region", on_change=_picked)
topic = pick_topic.selectbox(
    "Work-plan topic", list(topics), format_func=topics.get, key="cap_topic", on_change=_picked
)
evidence = cached(db, source, cell_evidence, filters, region, topic, measure=measure)
if evidence.empty:
    st.info(
        f"{region}: no {MEASURES[measure]} on {topics[topic]} under these filters. Click "
        "another cell, pick another region or topic, or change the measure."
    )
else:
    st.caption(
        f"{plural(len(evidence), 'passage')} ({MEASURES[measure]}), strongest first. Click a "
        "cell of the heatmap or pick a region and topic; choose a row to read the passage whole."
    )
    shown = st.dataframe(
        evidence.assign(para_number=evidence["para_number"].fillna("–"))[
            ["state", "meeting", "para_number", "text", "need", "provision", "document"]
        ],
        column_config={
            "state": "State",
            "meeting": st.column_config.NumberColumn("Meeting", format="%d"),
            "document": "Document",
            "para_number": "Para.",
            "text": st.column_config.TextColumn("Passage", width="large"),
            "need": st.column_config.NumberColumn("Need score", format="%.2f"),
            "provision": st.column_config.NumberColumn("Offer score", format="%.2f"),
        },
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="cap_evidence",
    )
    tag = sample_tagger(db, source, evidence["passage_id"].iloc[list(shown.selection.rows)])
    for row in shown.selection.rows:
        passage = evidence.iloc[row]
        with st.container(border=True):
            st.caption(
                escape_markdown(
                    f"{passage['state']} · meeting {passage['meeting']} · {passage['document']}"
                    f" · para. {passage['para_number'] or '–'}" + tag(passage["passage_id"])
                )
            )
            st.markdown(escape_markdown(passage["text"]))

st.subheader("Priorities: region–topic pairs ranked")
priorities = cached(db, source, priority_table, filters)
if priorities.empty:
    st.info("No State expressed a need under these filters. Widen the filters in the sidebar.")
else:
    st.caption(
        "Ranked by the share of the region's submitting States that expressed a need on the "
        "topic, discounted for small regions (Score = the lower end of the share's 95 % "
        "Wilson interval), so 2 of 2 States do not outrank 21 of 27; ties go to more need "
        "passages. The strongest need passage and the States behind each pair are further right."
    )
    # the numbers first and narrow, so a 1,400-pixel screen shows every one of them; the
    # two long text columns last
    table = priorities.assign(
        share_states=priorities["share_states"] * 100,
        of_states=priorities["need_states"].astype(str)
        + " of "
        + priorities["states_submitting"].astype(str),
        states=priorities["states"].map(", ".join),
        example=priorities["example_state"].fillna("")
        + " (meeting "
        + priorities["example_meeting"].astype("string").fillna("?")
        + "): "
        + priorities["example_text"].fillna(""),
    )
    st.dataframe(
        table[
            [
                "rank",
                "region",
                "topic_label",
                "share_states",
                "of_states",
                "priority",
                "need_passages",
                "region_offer_passages",
                "example",
                "states",
            ]
        ],
        column_config={
            "rank": st.column_config.NumberColumn("Rank", width=50),
            "region": region_label,
            "topic_label": "Work-plan topic",
            "share_states": st.column_config.ProgressColumn(
                "Share",
                format="%.0f%%",
                min_value=0,
                max_value=100,
                help="The share of the region's submitting States that expressed a need on "
                "the topic.",
                width="small",
            ),
            "of_states": st.column_config.TextColumn(
                "States",
                help="States of the region with a need on the topic, of the region's States "
                "that submitted anything under these filters.",
                width="small",
            ),
            "priority": st.column_config.NumberColumn(
                "Score",
                format="%.2f",
                help="The share of States with a need at the lower end of its 95 % Wilson "
                "interval: what the share is at least, given how few States it counts.",
                width="small",
            ),
            "need_passages": st.column_config.NumberColumn(
                "Needs", help="Need passages on the topic by States of the region.", width="small"
            ),
            "region_offer_passages": st.column_config.NumberColumn(
                "Offers",
                help="Offer passages on the topic by States of the same region.",
                width="small",
            ),
            "example": st.column_config.TextColumn(
                "Strongest need passage",
                help="Hover over a cell, or open the passages above, to read it whole.",
                width="large",
            ),
            "states": st.column_config.TextColumn("States behind it", width="medium"),
        },
        hide_index=True,
        width="stretch",
    )

st.subheader("Need intensity per State, and who offers help")
default_topic = priorities["topic_id"].iloc[0] if len(priorities) else next(iter(topics))
map_topic = st.selectbox(
    "Topic for the map and the offers",
    list(topics),
    index=list(topics).index(default_topic),
    format_func=topics.get,
    key="cap_map_topic",
)
intensity = cached(db, source, state_need_intensity, filters, map_topic)
st.plotly_chart(
    need_map(intensity, topic_label=topics[map_topic], topojson_url=TOPOJSON_URL),
    config={"topojsonURL": TOPOJSON_URL},
    width="stretch",
)
st.caption(
    "Colour: the State's need passages on the topic as a share of all its passages under "
    "these filters. Grey: no submission under these filters."
)
offers = cached(db, source, providers, filters, map_topic)
if offers.empty:
    st.info(
        f"Nobody offered help on {topics[map_topic]} under these filters. Pick another topic "
        "or widen the filters (observers have no region: a region filter hides them)."
    )
else:
    st.dataframe(
        offers.assign(
            actor_type=offers["actor_type"].map(ACTOR_TYPE_LABELS),
            topics=offers["topics"].map(lambda ids: ", ".join(topics.get(t, t) for t in ids)),
            meetings=offers["meetings"].map(lambda ms: ", ".join(str(m) for m in ms)),
            region=offers["region"].fillna("–"),
        )[["submitter", "actor_type", "region", "passages", "topics", "meetings", "example_text"]],
        column_config={
            "submitter": "Who offers",
            "actor_type": "Type",
            "region": region_label,
            "passages": "Offer passages",
            "topics": "Topics of these offers",
            "meetings": "Meetings",
            "example_text": st.column_config.TextColumn("Strongest offer", width="large"),
        },
        hide_index=True,
        width="stretch",
    )
