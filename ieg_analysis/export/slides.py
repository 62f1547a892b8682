"""The briefing pack as PPTX (python-pptx): a title slide, then one chart per slide as a
high-resolution image (its provenance stamped in), the user's note under it, and the
provenance in the slide's footer."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from .images import png_size
from .pack import Pack
from .provenance import SAMPLE_NOTICE

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
GREY = RGBColor(0x55, 0x55, 0x55)
NOTICE = RGBColor(0x8A, 0x1C, 0x00)
FOOTER_NAME = "Provenance footer"


def _text(slide, left, top, width, height, lines, *, size, bold=False, colour=None, name=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    for index, (line, line_colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        if line_colour or colour:
            run.font.color.rgb = line_colour or colour
    return box


def _footer(slide, lines: list[str], is_sample: bool) -> None:
    coloured = [(line, NOTICE if is_sample and i == 0 else GREY) for i, line in enumerate(lines)]
    _text(
        slide,
        MARGIN,
        SLIDE_H - Inches(0.75),
        SLIDE_W - 2 * MARGIN,
        Inches(0.6),
        coloured,
        size=9,
        name=FOOTER_NAME,
    )


def to_pptx(pack: Pack) -> bytes:
    provenance = pack.provenance
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    blank = deck.slide_layouts[6]

    cover = deck.slides.add_slide(blank)
    _text(
        cover,
        MARGIN,
        Inches(2.2),
        SLIDE_W - 2 * MARGIN,
        Inches(1.2),
        [(pack.spec.title, None)],
        size=36,
        bold=True,
    )
    lines = [(pack.spec.subtitle, GREY)] if pack.spec.subtitle else []
    lines.append((pack.cover_line, GREY))
    lines.append((f"Filters: {pack.filters_text}", GREY))
    _text(cover, MARGIN, Inches(3.5), SLIDE_W - 2 * MARGIN, Inches(1.2), lines, size=16)
    if provenance.is_sample:
        _text(
            cover,
            MARGIN,
            Inches(5.0),
            SLIDE_W - 2 * MARGIN,
            Inches(0.6),
            [(SAMPLE_NOTICE + ": generated to demonstrate the product.", NOTICE)],
            size=16,
            bold=True,
        )
    _footer(
        cover,
        [
            *([SAMPLE_NOTICE + "."] if provenance.is_sample else []),
            f"Data as of {provenance.snapshot_text()} · database {provenance.database_name} "
            f"(version {provenance.data_version}) · model {provenance.model_version or 'none'}",
        ],
        provenance.is_sample,
    )

    for chart in pack.charts:
        slide = deck.slides.add_slide(blank)
        _text(
            slide,
            MARGIN,
            Inches(0.3),
            SLIDE_W - 2 * MARGIN,
            Inches(0.7),
            [(chart.title, None)],
            size=24,
            bold=True,
        )
        note_h = Inches(0.35 + 0.22 * min(5, len(chart.note) // 150 + 1)) if chart.note else 0
        top = Inches(1.1)
        bottom = SLIDE_H - Inches(0.85) - note_h
        box_w, box_h = SLIDE_W - 2 * MARGIN, bottom - top
        width_px, height_px = png_size(chart.png)
        ratio = min(box_w / width_px, box_h / height_px)
        pic_w, pic_h = Emu(int(width_px * ratio)), Emu(int(height_px * ratio))
        picture = slide.shapes.add_picture(
            io.BytesIO(chart.png), MARGIN + (box_w - pic_w) // 2, top, pic_w, pic_h
        )
        picture.name = f"Chart {chart.result.name}"
        if chart.note:
            _text(
                slide,
                MARGIN,
                top + pic_h + Inches(0.1),
                SLIDE_W - 2 * MARGIN,
                note_h,
                [(chart.note, None)],
                size=13,
            ).name = "Note"
        _footer(slide, chart.footer, provenance.is_sample)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
