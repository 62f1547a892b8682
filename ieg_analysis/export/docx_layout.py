"""Page set-up shared by the Word exports (python-docx): A4 pages, the document's
properties, "Page N of M" in the footer and a Word table of contents.

Word fields are written with the text they show until Word updates them (their cached
result): the page fields show "1", and the table of contents shows its headings as links
to bookmarks on the headings themselves, so that it reads and works where fields are never
updated (LibreOffice keeps the cached result). Word updates the page fields itself; the
table of contents gets its page numbers when the reader updates it (its hint says how), not
on opening, which would prompt on every opening."""

from __future__ import annotations

import datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

AUTHOR = "IEG Analysis"
TOC_HINT = "Right-click to update the table of contents (Update Field) and show page numbers."
_TOC_INSTRUCTION = ' TOC \\o "1-1" \\h \\z \\u '


def set_up(document, *, title: str, margin_mm: float = 25) -> None:
    """A4 portrait pages with ``margin_mm`` margins; title, author (the tool, not the
    library), creation time."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(margin_mm))
    properties = document.core_properties
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    properties.title = title
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.comments = ""
    properties.created = now
    properties.modified = now


def _run(
    paragraph,
    *,
    char: str | None = None,
    instruction: str | None = None,
    text: str | None = None,
):
    run = OxmlElement("w:r")
    if char:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), char)
    elif instruction:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
    else:
        element = OxmlElement("w:t")
        element.set(qn("xml:space"), "preserve")
        element.text = text
    run.append(element)
    paragraph._p.append(run)
    return run


def _field(paragraph, instruction: str, shown: str) -> None:
    _run(paragraph, char="begin")
    _run(paragraph, instruction=f" {instruction} ")
    _run(paragraph, char="separate")
    _run(paragraph, text=shown)
    _run(paragraph, char="end")


def page_numbers(footer, *, size: float = 8) -> None:
    """A centred "Page N of M" paragraph at the end of ``footer``."""
    paragraph = footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(size)


def bookmark(paragraph, number: int) -> str:
    """Wrap ``paragraph``'s content in bookmark ``number`` (unique in the document); its
    name, for a link."""
    name = f"_Toc_ieg_{number}"
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)
    return name


class TableOfContents:
    """A TOC field over the first-level headings. Its cached result (what shows before
    Word updates it) is the hint and one linked line per heading, filled in by
    :meth:`finish` once the headings exist: ``add_heading`` bookmarks each heading."""

    def __init__(self, document) -> None:
        self._document = document
        self._hint = document.add_paragraph()
        # not marked dirty, and no update-on-opening setting: Word would ask to update the
        # fields each time the document is opened, a prompt some offices block; the cached
        # list is readable and linked, and the hint says how to add page numbers
        _run(self._hint, char="begin")
        _run(self._hint, instruction=_TOC_INSTRUCTION)
        _run(self._hint, char="separate")
        hint = self._hint.add_run(TOC_HINT)
        hint.italic = True
        hint.font.size = Pt(8.5)
        self._last = self._hint
        self._entries: list[tuple[str, str]] = []

    def add_heading(self, text: str, level: int = 1):
        heading = self._document.add_heading(text, level=level)
        if level == 1:
            self._entries.append((text, bookmark(heading, len(self._entries) + 1)))
        return heading

    def finish(self) -> None:
        """Write the cached entries after the hint and close the field."""
        anchor = self._hint
        for text, name in self._entries:
            entry = anchor.insert_paragraph_before("")  # moved below
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), name)
            link.set(qn("w:history"), "1")
            link_run = OxmlElement("w:r")
            link_text = OxmlElement("w:t")
            link_text.set(qn("xml:space"), "preserve")
            link_text.text = text
            link_run.append(link_text)
            link.append(link_run)
            entry._p.append(link)
            anchor._p.addnext(entry._p)
            anchor = entry
        _run(anchor, char="end")
