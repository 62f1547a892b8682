"""Sample documents to real files: PDF (fpdf2), DOCX (python-docx) and plain text, with the
page furniture real documents carry (running headers, symbols, page numbers), so that the
sample is read back through the same ingestion path as real files."""

from __future__ import annotations

import io
import textwrap
import unicodedata

from .generator import Document, Recommendation

SAMPLE_NOTICE = "ILLUSTRATIVE SAMPLE - not a real submission"
_PDF_REPLACEMENTS = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
}


def _latin1(text: str) -> str:
    """The core PDF fonts cover Latin-1 only: keep accents, fold the rest."""
    out = []
    for ch in text:
        ch = _PDF_REPLACEMENTS.get(ch, ch)
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode()
            out.append(folded)
    return "".join(out)


def symbol(doc: Document, index: int) -> str:
    return f"UNODC/IEG/SAMPLE/{doc.meeting}/{index:04d}"


def render(doc: Document, index: int) -> bytes:
    if doc.file_format == "pdf":
        return render_pdf(doc, index)
    if doc.file_format == "docx":
        return render_docx(doc)
    return render_txt(doc, index)


def render_pdf(doc: Document, index: int) -> bytes:
    from fpdf import FPDF

    running = f"{symbol(doc, index)}  {SAMPLE_NOTICE}"

    class _Pdf(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, running, new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, f"{self.page_no()}", align="C")

    pdf = _Pdf()
    pdf.set_auto_page_break(True, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, _latin1(doc.title))
    pdf.ln(4)
    for section in doc.sections:
        if section.heading:
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, _latin1(section.heading))
            pdf.ln(3)
        pdf.set_font("Helvetica", size=10)
        for paragraph in section.paragraphs:
            # wrapped here rather than by multi_cell, whose per-glyph measuring is slow
            for line in textwrap.wrap(_latin1(paragraph), width=100, break_long_words=False):
                pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def render_docx(doc: Document) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.comments = SAMPLE_NOTICE
    section = document.sections[0]
    section.header.paragraphs[0].text = SAMPLE_NOTICE
    document.add_heading(doc.title, level=0)
    for part in doc.sections:
        if part.heading:
            document.add_heading(part.heading, level=1)
        for paragraph in part.paragraphs:
            document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_txt(doc: Document, index: int, *, width: int = 78, page_lines: int = 54) -> bytes:
    lines: list[str] = [doc.title, ""]
    for section in doc.sections:
        if section.heading:
            lines += [section.heading, ""]
        for paragraph in section.paragraphs:
            lines += textwrap.wrap(paragraph, width=width, break_long_words=False) + [""]
    pages = [lines[i : i + page_lines] for i in range(0, len(lines), page_lines)]
    out = []
    for number, page in enumerate(pages, start=1):
        out.append(
            "\n".join([f"{symbol(doc, index)}  {SAMPLE_NOTICE}", "", *page, "", f"- {number} -"])
        )
    return "\f".join(out).encode("utf-8")


def render_recommendation_list(
    meeting: int, title: str, items: list[tuple[str, list[Recommendation]]]
) -> bytes:
    """The Rapporteur's list for one meeting: a heading per topic, numbered items."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = SAMPLE_NOTICE
    document.add_heading(title, level=0)
    for heading, recommendations in items:
        document.add_heading(heading, level=1)
        for rec in recommendations:
            document.add_paragraph(f"{rec.number}. {rec.text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
