"""The briefing pack as PDF (fpdf2), landscape A4: the same content as the PPTX."""

from __future__ import annotations

import io

from .images import png_size
from .pack import Pack
from .pdf_fonts import DocumentPDF
from .provenance import SAMPLE_NOTICE

PAGE_W, PAGE_H, MARGIN = 297.0, 210.0, 12.0
GREY = (85, 85, 85)
NOTICE = (138, 28, 0)


class _PackPDF(DocumentPDF):
    footer_lines: list[str] = []
    is_sample = False

    def footer(self) -> None:
        self.set_y(-16)
        self.use("", 7.5)
        for index, line in enumerate(self.footer_lines):
            self.set_text_color(*(NOTICE if self.is_sample and index == 0 else GREY))
            self.multi_cell(0, 3.4, self.clean(line), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*GREY)
        self.set_xy(PAGE_W - MARGIN - 20, -8)
        self.cell(20, 3, f"{self.page_no()}", align="R")
        self.set_text_color(0, 0, 0)


def to_pdf(pack: Pack) -> bytes:
    provenance = pack.provenance
    pdf = _PackPDF(orientation="L", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.is_sample = provenance.is_sample
    pdf.set_title(pack.spec.title)
    pdf.set_creator("IEG Analysis")

    pdf.add_page()
    pdf.footer_lines = [
        *([SAMPLE_NOTICE + "."] if provenance.is_sample else []),
        f"Data as of {provenance.snapshot_text()} · database {provenance.database_name} "
        f"(version {provenance.data_version}) · model {provenance.model_version or 'none'}",
    ]
    pdf.set_y(70)
    pdf.use("B", 28)
    pdf.multi_cell(0, 12, pdf.clean(pack.spec.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.use("", 13)
    pdf.set_text_color(*GREY)
    if pack.spec.subtitle:
        pdf.multi_cell(0, 7, pdf.clean(pack.spec.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        7,
        pdf.clean(pack.cover_line),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(0, 7, pdf.clean(f"Filters: {pack.filters_text}"), new_x="LMARGIN", new_y="NEXT")
    if provenance.is_sample:
        pdf.ln(8)
        pdf.set_text_color(*NOTICE)
        pdf.use("B", 13)
        pdf.multi_cell(
            0,
            7,
            pdf.clean(SAMPLE_NOTICE + ": generated to demonstrate the product."),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.set_text_color(0, 0, 0)

    for chart in pack.charts:
        pdf.add_page()
        pdf.footer_lines = chart.footer  # fpdf2 draws a page's footer when the next begins
        pdf.use("B", 16)
        pdf.multi_cell(0, 8, pdf.clean(chart.title), new_x="LMARGIN", new_y="NEXT")
        top = pdf.get_y() + 2
        note_h = 0.0
        if chart.note:
            pdf.use("", 10.5)
            lines = pdf.multi_cell(
                PAGE_W - 2 * MARGIN, 5, pdf.clean(chart.note), dry_run=True, output="LINES"
            )
            note_h = 5 * len(lines) + 3
        bottom = PAGE_H - 20 - note_h
        width_px, height_px = png_size(chart.png)
        ratio = min((PAGE_W - 2 * MARGIN) / width_px, (bottom - top) / height_px)
        w, h = width_px * ratio, height_px * ratio
        pdf.image(io.BytesIO(chart.png), x=(PAGE_W - w) / 2, y=top, w=w, h=h)
        if chart.note:
            pdf.set_xy(MARGIN, top + h + 3)
            pdf.use("", 10.5)
            pdf.multi_cell(0, 5, pdf.clean(chart.note), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
