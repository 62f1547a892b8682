"""Briefing (Secretariat): pick charts of the analysis pages, order them, give each a title
and a note, and take them away as a PPTX or PDF pack, as PNG/SVG images, or as the data
behind them; and the compilation of a meeting's written submissions (DOCX, PDF)."""

import html

import streamlit as st

from ieg_analysis.analytics.filters import parse_filters
from ieg_analysis.export.compilation import (
    MODES,
    compilation_summary,
    compile_meeting,
    plural,
)
from ieg_analysis.export.compilation_docx import to_docx
from ieg_analysis.export.compilation_pdf import to_pdf as compilation_pdf
from ieg_analysis.export.dates import day
from ieg_analysis.export.errors import EmptyCompilationError, RendererError
from ieg_analysis.export.images import find_browser
from ieg_analysis.export.pack import (
    PackItem,
    PackSpec,
    build_pack,
    chart_names,
    render_chart,
    spec_to_json,
)
from ieg_analysis.export.pack_pdf import to_pdf as pack_pdf
from ieg_analysis.export.provenance import provenance_of
from ieg_analysis.export.registry import CHARTS, build_chart
from ieg_analysis.export.slides import to_pptx
from ieg_analysis.export.tables import to_csv_bytes, to_xlsx_bytes
from ieg_analysis.reference import load_reference
from ui.common import cached, page_header
from ui.filters import filter_panel


def _build(db, name, filters, options):
    return build_chart(db, name, filters, dict(options))


def _compiled(path, meeting, mode, write):
    """The compilation written by ``write``, made when the user downloads it (a meeting of
    a large store has hundreds of thousands of passages: not on every render)."""
    return lambda: write(compile_meeting(type(db)(path), meeting, mode=mode))


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60] or "chart"


st.set_page_config(page_title="Briefing · IEG Analysis", page_icon="🌐", layout="wide")
db, source = page_header(
    "Briefing and exports",
    "Charts of the analysis pages for slides and printed notes, each with its provenance, "
    "and the compilation of a meeting's written submissions.",
)
filters = filter_panel()
reference = load_reference()
try:
    find_browser()
    no_images = ""
except RendererError as error:
    no_images = str(error)
    st.info(f"Images and packs are unavailable here. {no_images}")
names = chart_names()
items: list[dict] = st.session_state.setdefault("briefing_items", [])

st.header("Charts of the pack")
left, right = st.columns([4, 1], vertical_alignment="bottom")
choice = left.selectbox("Chart", list(names), format_func=names.get, key="briefing_choice")
if right.button("Add to the pack", type="primary", width="stretch"):
    st.session_state["briefing_next"] = st.session_state.get("briefing_next", 0) + 1
    items.append({"id": st.session_state["briefing_next"], "chart": choice, "own": None})
if not items:
    st.info(
        "The pack is empty: choose a chart above and add it. Each chart uses the filters "
        "of the sidebar unless you keep its own."
    )

pack_items: list[PackItem] = []
for index, item in enumerate(list(items)):
    key = f"b{item['id']}"
    spec = CHARTS[item["chart"]]
    with st.container(border=True):
        head, up, down, drop = st.columns([12, 1, 1, 1], vertical_alignment="center")
        head.subheader(f"{index + 1}. {names[item['chart']]}")
        if up.button("↑", key=f"{key}_up", disabled=index == 0, help="Move up"):
            items[index - 1], items[index] = items[index], items[index - 1]
            st.rerun()
        if down.button("↓", key=f"{key}_down", disabled=index == len(items) - 1, help="Move down"):
            items[index + 1], items[index] = items[index], items[index + 1]
            st.rerun()
        if drop.button("✕", key=f"{key}_drop", help="Remove from the pack"):
            items.remove(item)
            st.rerun()
        text, setup = st.columns([3, 2])
        title = text.text_input("Title", value=spec.title, key=f"{key}_title", max_chars=200)
        note = text.text_area("Note", key=f"{key}_note", max_chars=1200, height=80)
        own = setup.toggle(
            "Keep its own filters",
            value=item["own"] is not None,
            key=f"{key}_own",
            help="On: the chart keeps the sidebar filters of the moment you switched this on.",
        )
        if own and item["own"] is None:
            item["own"] = filters.to_query_params()
        elif not own:
            item["own"] = None
        chart_filters = parse_filters(item["own"], reference) if own else filters
        options = {
            option.name: setup.selectbox(
                option.label,
                list(option.choices),
                format_func=option.choices.get,
                key=f"{key}_{option.name}",
                index=None,
                placeholder=f"Default ({option.choices[option.default]})",
            )
            for option in spec.options
        }
        options = {k: v for k, v in options.items() if v}
        result = cached(db, source, _build, item["chart"], chart_filters, tuple(options.items()))
        if result.is_empty:
            st.info(f"Nothing to show for {result.filters_text}: {result.empty_message}")
            st.caption("This chart is left out of the pack until its filters match data.")
            continue
        st.plotly_chart(
            result.figure.update_layout(title={"text": html.escape(title)}),
            width="stretch",
            key=f"{key}_fig",
            config={"topojsonURL": "/app/static/"},
        )
        provenance = provenance_of(db)
        st.caption(" ".join(provenance.lines(result.filters_text)))
        pack_items.append(
            PackItem(item["chart"], title=title, note=note, options=options, filters=chart_filters)
        )
        about = provenance.as_dict(result.filters_text) | {"chart": result.name}
        slug = _slug(title)
        buttons = st.columns(4)
        for column, fmt in zip(buttons[:2], ("png", "svg"), strict=True):
            column.download_button(
                f"{fmt.upper()} image",
                data=lambda r=result, t=title, f=fmt, p=provenance: render_chart(
                    r, p, title=t, fmt=f
                ),
                file_name=f"{slug}.{fmt}",
                mime="image/png" if fmt == "png" else "image/svg+xml",
                key=f"{key}_{fmt}",
                on_click="ignore",
                disabled=bool(no_images),
                icon=":material/image:",
            )
        buttons[2].download_button(
            "Data (CSV)",
            data=to_csv_bytes(result.data, about.get("notice")),
            file_name=f"{slug}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
        buttons[3].download_button(
            "Data (XLSX)",
            data=to_xlsx_bytes(result.data, about, sheet=result.name),
            file_name=f"{slug}.xlsx",
            key=f"{key}_xlsx",
            on_click="ignore",
        )

st.header("The pack")
left, right = st.columns(2)
pack_title = left.text_input("Pack title", value="Briefing charts", max_chars=200)
subtitle = right.text_input("Subtitle", max_chars=300, placeholder="e.g. For the Bureau")
spec = PackSpec(title=pack_title, subtitle=subtitle, filters=filters, items=tuple(pack_items))
if not pack_items:
    st.caption("Add at least one chart with data to build a pack.")
else:
    st.caption(
        f"{plural(len(pack_items), 'chart')}: a title slide, then one chart per slide with its "
        "note and provenance. Building takes about a second per chart."
    )
    path = db.path
    columns = st.columns(3)
    columns[0].download_button(
        "PowerPoint (PPTX)",
        data=lambda: to_pptx(build_pack(type(db)(path), spec, skip_empty=True)),
        file_name=f"{_slug(pack_title)}.pptx",
        on_click="ignore",
        type="primary",
        icon=":material/slideshow:",
        disabled=bool(no_images),
    )
    columns[1].download_button(
        "PDF",
        data=lambda: pack_pdf(build_pack(type(db)(path), spec, skip_empty=True)),
        file_name=f"{_slug(pack_title)}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        disabled=bool(no_images),
    )
    columns[2].download_button(
        "Specification (JSON)",
        data=spec_to_json(spec),
        file_name=f"{_slug(pack_title)}.json",
        mime="application/json",
        on_click="ignore",
        help="Rebuild the same pack later with: ieg export pack FILE.json --output pack.pptx",
    )

st.header("Compilation of written submissions")
left, right = st.columns(2)
# the compilation's meeting follows the sidebar's meeting filter whenever that filter changes
# (set through the session state, not an index: a widget given both warns)
if filters.meetings and st.session_state.get("briefing_filter_meetings") != list(filters.meetings):
    st.session_state["briefing_meeting"] = filters.meetings[0]
st.session_state["briefing_filter_meetings"] = list(filters.meetings)
st.session_state.setdefault("briefing_meeting", sorted(reference.meetings)[3])
meeting = left.selectbox(
    "Meeting",
    sorted(reference.meetings),
    format_func=lambda n: f"{n}: {reference.meetings[n].name}",
    key="briefing_meeting",
)
mode = right.radio(
    "A passage on several topics",
    list(MODES),
    format_func={"primary": "Under its best topic only", "each": "Under each topic"}.get,
    horizontal=True,
    key="briefing_mode",
)
try:
    compilation = cached(db, source, compilation_summary, meeting)
except EmptyCompilationError as error:
    st.info(str(error))
else:
    st.caption(
        f"{plural(compilation.documents, 'written submission')}, "
        f"{plural(compilation.passages, 'passage')}, "
        f"{compilation.late:,} received after the deadline "
        f"({day(compilation.deadline)}). {MODES[mode]}"
    )
    columns = st.columns(3)
    columns[0].download_button(
        "Word (DOCX)",
        data=_compiled(db.path, meeting, mode, to_docx),
        file_name=f"ieg-compilation-meeting-{meeting}.docx",
        on_click="ignore",
        type="primary",
        icon=":material/description:",
    )
    columns[1].download_button(
        "PDF",
        data=_compiled(db.path, meeting, mode, compilation_pdf),
        file_name=f"ieg-compilation-meeting-{meeting}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key="compilation_pdf",
        icon=":material/picture_as_pdf:",
        help="Laid out when you click: a meeting of a thousand passages takes about six "
        "seconds before the download starts.",
    )
