"""A briefing pack: an ordered list of charts from the registry, each with its filters
(the pack's, or its own), options, title and note; read from a JSON specification and
rendered to stamped images, ready for the PPTX and PDF writers.

A specification::

    {"title": "Briefing for the Bureau", "subtitle": "optional",
     "filters": {"meeting": [4], "region": ["African"]},
     "charts": [
        {"chart": "capacity.heatmap", "title": "optional", "note": "optional",
         "options": {"measure": "gap"}, "filters": {"meeting": [5]}}
     ]}

Filter keys are those of the page's URL (meeting, topic, scheme, region, state, actor,
kind, lang); a chart's own ``filters`` replace the pack's for that chart.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..analytics.filters import Filters, parse_filters
from ..reference import load_reference
from ..store.db import Database
from . import images
from .dates import day
from .errors import EmptyChartError, PackSpecError
from .provenance import Provenance, provenance_of
from .registry import CHARTS, ChartResult, build_chart, chart_spec

FILTER_KEYS = ("meeting", "topic", "scheme", "region", "state", "actor", "kind", "lang")
MAX_CHARTS = 40
MAX_NOTE = 1200
SLIDE_WIDTH_PX = 1300
SLIDE_MIN_HEIGHT_PX = 600  # a 16:9 slide's chart area is about twice as wide as tall


@dataclass(frozen=True)
class PackItem:
    chart: str
    title: str = ""
    note: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    filters: Filters | None = None  # None: the pack's filters


@dataclass(frozen=True)
class PackSpec:
    title: str
    items: tuple[PackItem, ...]
    subtitle: str = ""
    filters: Filters = Filters()

    def filters_of(self, item: PackItem) -> Filters:
        return item.filters if item.filters is not None else self.filters


@dataclass(frozen=True)
class RenderedChart:
    result: ChartResult
    title: str
    note: str
    png: bytes  # stamped with its provenance
    footer: list[str]
    seconds: float


@dataclass(frozen=True)
class Pack:
    spec: PackSpec
    provenance: Provenance
    charts: list[RenderedChart]
    skipped: list[EmptyChartError]

    @property
    def cover_line(self) -> str:
        charts = f"{len(self.charts)} chart" + ("" if len(self.charts) == 1 else "s")
        return f"{charts} · prepared {day(self.provenance.exported)} with IEG Analysis"

    @property
    def filters_text(self) -> str:
        """The pack's own filters in words (each chart may narrow or replace them)."""
        return self.spec.filters.describe(load_reference())


def _unknown(notice: str) -> str:
    """parse_filters' notice ("Ignored the unknown region 'X' in the link.") as a refusal."""
    match = re.match(r"Ignored the unknown (.+?) '(.*)' in the link\.", notice)
    return f"'{match.group(2)}' is not a known {match.group(1)}." if match else notice


def filters_from_params(params: Mapping[str, object]) -> Filters:
    """Filters from URL-style parameters, refusing (not dropping) anything unknown."""
    unknown = [key for key in params if key not in FILTER_KEYS]
    if unknown:
        raise PackSpecError(
            f"'{unknown[0]}' is not a filter; the filters are {', '.join(FILTER_KEYS)}."
        )
    cleaned = {
        key: [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
        for key, value in params.items()
        if value not in (None, "", [])
    }
    filters = parse_filters(cleaned, load_reference())
    if filters.notices:
        raise PackSpecError(_unknown(filters.notices[0]))
    return filters


def _text(value: object, where: str, *, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PackSpecError(f"{where} must be text.")
    return value.strip()[:limit]


def parse_spec(text: str | bytes) -> PackSpec:
    """A pack specification from JSON; anything malformed is refused in one sentence."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PackSpecError(f"The pack specification is not valid JSON ({error}).") from None
    if not isinstance(raw, dict):
        raise PackSpecError("The pack specification must be a JSON object with a 'charts' list.")
    charts = raw.get("charts")
    if not isinstance(charts, list) or not charts:
        raise PackSpecError("The pack specification needs a non-empty 'charts' list.")
    if len(charts) > MAX_CHARTS:
        raise PackSpecError(
            f"A pack holds at most {MAX_CHARTS} charts; this one has {len(charts)}."
        )
    pack_filters = raw.get("filters") or {}
    if not isinstance(pack_filters, dict):
        raise PackSpecError("'filters' must be a JSON object such as {\"meeting\": [4]}.")
    items = []
    for number, entry in enumerate(charts, start=1):
        where = f"Chart {number} of the specification"
        if isinstance(entry, str):
            entry = {"chart": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("chart"), str):
            raise PackSpecError(
                f'{where} must name its chart, e.g. {{"chart": "capacity.heatmap"}}.'
            )
        chart_spec(entry["chart"])  # refuses an unknown chart
        own = entry.get("filters")
        if own is not None and not isinstance(own, dict):
            raise PackSpecError(f"{where}: 'filters' must be a JSON object.")
        options = entry.get("options") or {}
        if not isinstance(options, dict):
            raise PackSpecError(f"{where}: 'options' must be a JSON object.")
        items.append(
            PackItem(
                chart=entry["chart"],
                title=_text(entry.get("title"), f"{where}: 'title'", limit=200),
                note=_text(entry.get("note"), f"{where}: 'note'", limit=MAX_NOTE),
                options={str(k): str(v) for k, v in options.items()},
                filters=None if own is None else filters_from_params(own),
            )
        )
    return PackSpec(
        title=_text(raw.get("title"), "'title'", limit=200) or "Briefing charts",
        subtitle=_text(raw.get("subtitle"), "'subtitle'", limit=300),
        filters=filters_from_params(pack_filters),
        items=tuple(items),
    )


def spec_to_json(spec: PackSpec) -> str:
    """The specification as JSON (what the page offers, for ``ieg export pack``)."""

    def item(entry: PackItem) -> dict:
        out: dict = {"chart": entry.chart}
        for key in ("title", "note"):
            if getattr(entry, key):
                out[key] = getattr(entry, key)
        if entry.options:
            out["options"] = dict(entry.options)
        if entry.filters is not None:
            out["filters"] = entry.filters.to_query_params()
        return out

    body = {
        "title": spec.title,
        "subtitle": spec.subtitle,
        "filters": spec.filters.to_query_params(),
        "charts": [item(entry) for entry in spec.items],
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def footer_lines(provenance: Provenance, result: ChartResult) -> list[str]:
    return provenance.lines(result.filters_text)


def render_chart(
    result: ChartResult,
    provenance: Provenance,
    *,
    title: str | None,
    fmt: str = "png",
    slide: bool = False,
) -> bytes:
    """One chart as a stamped PNG or SVG, titled ``title`` (None: the chart's own). An
    empty chart is refused, never drawn. ``slide``: without a title (the slide has it),
    drawn narrower and at least SLIDE_MIN_HEIGHT_PX tall, so that a short chart fills the
    slide instead of becoming a thin strip."""
    if result.is_empty:
        raise EmptyChartError(title or result.title, result.empty_message, result.filters_text)
    figure = images.for_export(result.figure, title=title, drop_title=slide)
    width = images.WIDTH
    if slide:
        width = SLIDE_WIDTH_PX
        figure.update_layout(height=max(int(figure.layout.height or 420), SLIDE_MIN_HEIGHT_PX))
    raw = images.render(figure, fmt, width=width)
    lines = footer_lines(provenance, result)
    if fmt == "svg":
        return images.stamp_svg(raw, lines, notice=provenance.is_sample)
    return images.stamp_png(raw, lines, notice=provenance.is_sample)


def build_pack(
    db: Database,
    spec: PackSpec,
    *,
    skip_empty: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Pack:
    """Every chart of the pack rendered (titles go on the slide, not in the image). An
    empty chart stops the pack with its reason unless ``skip_empty``, where it is left out
    and listed in ``skipped``."""
    provenance = provenance_of(db)
    rendered: list[RenderedChart] = []
    skipped: list[EmptyChartError] = []
    for index, entry in enumerate(spec.items):
        if progress:
            progress(index, len(spec.items), entry.chart)
        result = build_chart(db, entry.chart, spec.filters_of(entry), entry.options)
        title = entry.title or result.title
        if result.is_empty:
            error = EmptyChartError(title, result.empty_message, result.filters_text)
            if not skip_empty:
                raise error
            skipped.append(error)
            continue
        started = time.perf_counter()
        png = render_chart(result, provenance, title=None, slide=True)
        rendered.append(
            RenderedChart(
                result=result,
                title=title,
                note=entry.note,
                png=png,
                footer=footer_lines(provenance, result),
                seconds=time.perf_counter() - started,
            )
        )
    if progress:
        progress(len(spec.items), len(spec.items), "done")
    if not rendered:
        raise skipped[0] if skipped else PackSpecError("The pack has no charts.")
    return Pack(spec=spec, provenance=provenance, charts=rendered, skipped=skipped)


def chart_names() -> dict[str, str]:
    """name -> "Page: title", for pickers and help texts."""
    return {name: f"{spec.page}: {spec.title}" for name, spec in CHARTS.items()}
