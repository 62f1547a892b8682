"""Static images through kaleido and the packs built from them (slow: a headless
Chromium renders each chart)."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from ieg_analysis.analytics.filters import Filters
from ieg_analysis.export import images
from ieg_analysis.export.errors import EmptyChartError
from ieg_analysis.export.pack import PackItem, PackSpec, build_pack, render_chart
from ieg_analysis.export.pack_pdf import to_pdf
from ieg_analysis.export.provenance import provenance_of
from ieg_analysis.export.registry import build_chart
from ieg_analysis.export.slides import FOOTER_NAME, to_pptx

pytestmark = pytest.mark.slow

try:
    images.find_browser()
    HAVE_BROWSER = True
except Exception:  # noqa: BLE001 - no Chromium on this machine
    HAVE_BROWSER = False
needs_browser = pytest.mark.skipif(not HAVE_BROWSER, reason="no Chromium for kaleido")


@pytest.fixture(scope="module")
def pack(export_db):
    spec = PackSpec(
        title="For the Bureau",
        filters=Filters(meetings=(4,)),
        items=(
            PackItem("capacity.map", note="Where the needs are.", options={"topic": "all"}),
            PackItem("recommendations.outcomes", title="What became of them"),
            PackItem("capacity.heatmap", filters=Filters(states=("VAT",))),  # empty
        ),
    )
    return build_pack(export_db, spec, skip_empty=True)  # kaleido stops at exit


@needs_browser
def test_png_and_svg_carry_their_provenance(export_db) -> None:
    result = build_chart(export_db, "topics.distribution", Filters(meetings=(4,)))
    provenance = provenance_of(export_db)
    png = render_chart(result, provenance, title="Topics", fmt="png")
    width, height = images.png_size(png)
    assert width == images.WIDTH * images.SCALE and height > 400
    svg = render_chart(result, provenance, title="Topics", fmt="svg").decode()
    assert "Illustrative sample data" in svg and "filters: meeting 4" in svg
    assert "model test-1" in svg


@needs_browser
def test_pptx_has_a_title_slide_one_slide_per_chart_and_footers(pack) -> None:
    assert [error.title for error in pack.skipped] == [
        "Capacity-building needs by region and work-plan topic"
    ]
    deck = Presentation(io.BytesIO(to_pptx(pack)))
    slides = list(deck.slides)
    assert len(slides) == 3  # title + two charts; the empty one is left out
    assert "For the Bureau" in slides[0].shapes[0].text_frame.text
    for slide in slides[1:]:
        footer = next(s for s in slide.shapes if s.name == FOOTER_NAME).text_frame.text
        assert "Illustrative sample data" in footer and "model test-1" in footer
        assert any(s.shape_type == 13 for s in slide.shapes)  # a picture
    texts = [shape.text_frame.text for shape in slides[1].shapes if shape.has_text_frame]
    assert "Where the needs are." in texts
    assert "What became of them" in [
        shape.text_frame.text for shape in slides[2].shapes if shape.has_text_frame
    ]


@needs_browser
def test_pdf_pack_has_the_same_pages(pack) -> None:
    reader = PdfReader(io.BytesIO(to_pdf(pack)))
    assert len(reader.pages) == 3
    assert "For the Bureau" in reader.pages[0].extract_text()
    second = reader.pages[1].extract_text()
    assert "Where the needs are." in second and "filters: meeting 4" in second


def test_an_empty_chart_is_never_drawn(export_db) -> None:
    result = build_chart(export_db, "capacity.heatmap", Filters(states=("VAT",)))
    with pytest.raises(EmptyChartError, match="has nothing to show for States: Holy See"):
        render_chart(result, provenance_of(export_db), title=None)
    spec = PackSpec(title="x", items=(PackItem("capacity.heatmap"),), filters=result.filters)
    with pytest.raises(EmptyChartError):
        build_pack(export_db, spec)


def test_a_failing_browser_is_restarted_once_then_named(monkeypatch) -> None:
    import kaleido
    import plotly.graph_objects as go

    from ieg_analysis.export.errors import RendererError

    calls = []
    monkeypatch.setattr(images, "_start", lambda: calls.append("start"))
    monkeypatch.setattr(images, "stop", lambda: calls.append("stop"))
    outcomes = [RuntimeError("dropped"), b"png"]

    def draw(*args, **kwargs):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(kaleido, "calc_fig_sync", draw)
    assert images.render(go.Figure(), "png") == b"png"
    assert calls == ["start", "stop", "start"]
    outcomes[:] = [RuntimeError("dropped"), RuntimeError("dropped again")]
    with pytest.raises(RendererError, match="failed to draw the chart \\(RuntimeError\\)"):
        images.render(go.Figure(), "png")


def test_a_missing_browser_is_named_not_retried(monkeypatch) -> None:
    import plotly.graph_objects as go

    from ieg_analysis.export.errors import RendererError

    def no_browser() -> None:
        raise RendererError("Static images need Chromium.")

    monkeypatch.setattr(images, "_start", no_browser)
    with pytest.raises(RendererError, match="^Static images need Chromium"):
        images.render(go.Figure(), "png")
