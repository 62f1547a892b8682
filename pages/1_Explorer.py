"""Submissions explorer (delegates): what did other States submit on a topic? Full-text
search with the shared filters, passages with their provenance, the whole document, and
downloads of the current view."""

import streamlit as st

from ieg_analysis.analytics.explorer import (
    PAGE_SIZE,
    SearchQuery,
    document_info,
    document_passages,
    export_passages,
    matching_submitters,
    search_passages,
)
from ieg_analysis.analytics.filters import ACTOR_TYPE_LABELS
from ieg_analysis.export.compilation import plural
from ieg_analysis.export.tables import to_csv_bytes, to_xlsx_bytes
from ieg_analysis.reference import load_reference
from ui.common import cached, page_header, provenance, sample_tag, sample_tagger
from ui.filters import filter_panel
from ui.text import escape_markdown, highlight

st.set_page_config(page_title="Explorer · IEG Analysis", page_icon="🔎", layout="wide")
db, source = page_header(
    "Submissions explorer",
    "Search what States and observers submitted (the recommendation lists too, unless the "
    "Document kind filter leaves them out), narrow it with the filters, open the whole "
    "document behind any passage, and download the view.",
)
reference = load_reference()
filters = filter_panel()
topic_labels = {t.id: t.short_label for t in reference.topics.values()}
SUBMITTERS_NAMED = 12  # the States named above the results; the rest are counted


def badges(row) -> str:
    topics = [] if row["topic_labels"] is None else list(row["topic_labels"])
    labels = [f":blue-badge[{topic_labels[t]}]" for t in topics]
    if row["capacity_label"] == "need":
        labels.append(":orange-badge[Capacity-building need]")
    elif row["capacity_label"] == "provision":
        labels.append(":green-badge[Offer of assistance]")
    return " ".join(labels) or ":gray-badge[No topic]"


def go_to(page: int) -> None:
    """The pager buttons under the list: the same page state, in the link, as the top pager."""
    st.query_params["page"] = str(page)


def submitters_line(submitters) -> str:
    """Which States the matching passages come from (most passages first, the first
    SUBMITTERS_NAMED by name), and how many other submitters."""
    states = [escape_markdown(n) for n in submitters.loc[submitters["is_state"], "actor_name"]]
    others = submitters.loc[~submitters["is_state"], "actor_type"]
    line = f"From **{plural(len(states), 'State')}**"
    if states:
        line += " (most passages first): " if len(states) > 1 else ": "
        line += ", ".join(states[:SUBMITTERS_NAMED])
        if len(states) > SUBMITTERS_NAMED:
            line += f" and {len(states) - SUBMITTERS_NAMED:,} more"
    if len(others):
        kinds = sorted({ACTOR_TYPE_LABELS.get(t, t) for t in others})
        line += f"; and {plural(len(others), 'other submitter')} ({', '.join(kinds)})"
    return line


def show_document(document_id: int) -> None:
    info = cached(db, source, document_info, document_id)
    if st.button("← Back to the results"):
        del st.query_params["doc"]
        st.rerun()
    if info is None:
        st.error(f"There is no document {document_id}; it may have been deleted.")
        return
    st.subheader(escape_markdown(info["title"] or info["source_name"]))
    late = (
        info["received"] is not None
        and info["kind"] == "written_submission"
        and (info["received"] > info["submission_deadline"])
    )
    st.caption(
        escape_markdown(
            f"{info['submitter']} · meeting {info['meeting']} · {info['kind'].replace('_', ' ')}"
            f" · received {info['received'] or 'unknown'}"
            + (" (after the deadline)" if late else "")
            + f" · {info['source_name']} · {plural(int(info['n_passages']), 'passage')}"
            + sample_tag(source, bool(info["is_sample"]))
        )
    )
    heading = None
    passages = cached(db, source, document_passages, document_id)
    for _, row in passages.astype(object).where(passages.notna(), None).iterrows():
        if row["heading"] != heading and row["heading"]:
            heading = row["heading"]
            st.markdown(f"#### {escape_markdown(heading)}")
        number = f"**{escape_markdown(row['para_number'])}.** " if row["para_number"] else ""
        st.markdown(number + escape_markdown(row["text"]))
        st.caption(badges(row))


document = st.query_params.get("doc")
if document is not None:
    if document.isdigit():
        show_document(int(document))
        st.stop()
    st.toast("Ignored the malformed document number in the link.", icon="ℹ️")
    del st.query_params["doc"]

query = st.text_input(
    "Search the passages",
    value=st.query_params.get("q", "")[:500],
    placeholder='Words (e.g. ransomware training) or "an exact phrase"',
    help="Words are ranked by relevance (BM25, with stemming; very common words such as "
    "'the' are not searched); text in double quotes, and numbers such as 2017 or 24/7, must "
    "appear as written.",
)
if query:
    st.query_params["q"] = query
elif "q" in st.query_params:
    del st.query_params["q"]

# a new search or filter starts at page 1 (a shared link keeps its page)
view = repr((query, sorted(filters.to_query_params().items())))
if st.session_state.get("explorer_view", view) != view and "page" in st.query_params:
    del st.query_params["page"]
st.session_state["explorer_view"] = view
requested = st.query_params.get("page", "1")
page = int(requested) if requested.isdigit() else 1
result = cached(db, source, search_passages, filters, query, page)
if result.total == 0:
    st.info(
        "No passage matches. Remove a filter in the sidebar, or use fewer or other search "
        "words (very common words such as 'the' are not searched)."
    )
    st.stop()

top = st.columns([3, 1])
top[0].markdown(
    f"**{plural(result.total, 'passage')}** {'matches' if result.total == 1 else 'match'}"
    + (f" · {escape_markdown(filters.describe(reference))}" if filters.to_query_params() else "")
)
page = top[1].number_input(
    f"Page (of {result.pages:,}; {PAGE_SIZE} passages a page)",
    min_value=1,
    max_value=result.pages,
    value=result.page,
)
if page != result.page:
    go_to(page)
    st.rerun()
top[0].markdown(submitters_line(cached(db, source, matching_submitters, filters, query)))

terms = SearchQuery.parse(query).highlight_terms
rows = result.rows.astype(object).where(result.rows.notna(), None)
tag = sample_tagger(db, source, rows["passage_id"])
for _, row in rows.iterrows():
    with st.container(border=True):
        where = row["regional_group"] or ACTOR_TYPE_LABELS.get(row["actor_type"], "")
        number = f" ¶ {row['para_number']}" if row["para_number"] else ""
        head = st.columns([5, 1])
        head[0].markdown(
            f"**{escape_markdown(row['actor_name'])}** · {escape_markdown(where)} · meeting "
            f"{row['meeting']} · {escape_markdown(row['title'] or row['source_name'])}"
            f"{escape_markdown(number)}{tag(row['passage_id'])}"
        )
        if head[1].button("Open document", key=f"open-{row['passage_id']}"):
            st.query_params["doc"] = str(row["document_id"])
            st.rerun()
        if row["heading"]:
            st.caption(escape_markdown(row["heading"]))
        st.markdown(highlight(row["text"], terms))
        st.caption(badges(row))

if result.pages > 1:
    pager = st.columns([1, 2, 1], vertical_alignment="center")
    pager[0].button(
        "← Previous page",
        key="explorer_previous",
        disabled=result.page <= 1,
        on_click=go_to,
        args=(result.page - 1,),
        width="stretch",
    )
    pager[1].caption(f"Page {result.page:,} of {result.pages:,}")
    pager[2].button(
        "Next page →",
        key="explorer_next",
        disabled=result.page >= result.pages,
        on_click=go_to,
        args=(result.page + 1,),
        width="stretch",
    )

with st.expander("Download this view (CSV or Excel)"):
    st.caption(
        "Every passage matching the search and filters, up to 50,000 rows. Cells that "
        "a spreadsheet could run as a formula are neutralised."
    )
    if st.button("Prepare the download"):
        table = cached(db, source, export_passages, filters, query)
        about = provenance(source, filters.describe(reference), query)
        columns = st.columns(2)
        columns[0].download_button(
            "CSV",
            to_csv_bytes(table, about.get("notice")),
            "ieg-passages.csv",
            mime="text/csv",
            on_click="ignore",  # a rerun would drop both buttons until prepared again
        )
        columns[1].download_button(
            "Excel (XLSX)",
            to_xlsx_bytes(table, about, sheet="passages"),
            "ieg-passages.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )
