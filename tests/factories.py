"""Small documents built in code for the tests: real PDF, DOCX and text files."""

from __future__ import annotations

import io


def make_pdf(
    pages: list[list[str]],
    *,
    header: str | None = None,
    footer: bool = True,
    password: str | None = None,
) -> bytes:
    """A PDF whose pages hold the given paragraphs (a paragraph starting with '#' is a
    bold heading), with an optional running header and page-number footer."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("Helvetica", size=8)
                self.cell(0, 5, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(3)

        def footer(self) -> None:
            if footer:
                self.set_y(-15)
                self.set_font("Helvetica", size=8)
                self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = _Pdf()
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for page in pages:
        pdf.add_page()
        for paragraph in page:
            if paragraph.startswith("#"):
                pdf.set_font("Helvetica", "B", 11)
                pdf.multi_cell(0, 6, paragraph.lstrip("# "))
            else:
                pdf.set_font("Helvetica", size=10)
                pdf.multi_cell(0, 5, paragraph)
            pdf.ln(3)
    return bytes(pdf.output())


def make_blank_pdf(pages: int = 1) -> bytes:
    """A PDF with pages but no text at all (as a scan without OCR would be)."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 150)
    return bytes(pdf.output())


def make_docx(items: list[tuple[str, str]]) -> bytes:
    """A DOCX from (style, text) pairs: style "title", "heading" or "para"."""
    import docx

    document = docx.Document()
    for style, text in items:
        if style == "title":
            document.add_heading(text, level=0)
        elif style == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SUBMISSION_PARAGRAPHS = [
    "# II. Legislation and frameworks",
    "1. The Cybercrime Act adopted in 2016 criminalizes illegal access to computer systems "
    "and the interference with computer data, and was amended in 2019.",
    "2. A bill on procedural powers, including expedited preservation of stored data, is "
    "before Parliament.",
    "# III. Capacity-building and technical assistance",
    "3. Our country would welcome assistance in training prosecutors and judges on the "
    "handling of electronic evidence.",
]
