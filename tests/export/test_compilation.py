from __future__ import annotations

import io

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from ieg_analysis.errors import UnknownMeetingError
from ieg_analysis.export.compilation import (
    UNLINKED,
    compilation_summary,
    compile_meeting,
    paragraph_references,
)
from ieg_analysis.export.compilation_docx import contents, to_docx
from ieg_analysis.export.compilation_pdf import to_pdf
from ieg_analysis.export.errors import EmptyCompilationError


def test_passages_are_grouped_by_topic_then_submitter(export_db) -> None:
    compilation = compile_meeting(export_db, 4)
    titles = [section.title for section in compilation.sections]
    assert titles[0] == "Legislation and frameworks"  # the meeting's agenda first
    assert titles[-1] == UNLINKED
    assert compilation.documents == 3
    every = compile_meeting(export_db, 4, mode="each")
    placed = sum(section.passages for section in compilation.sections)
    assert placed == compilation.passages  # once each, under its best topic
    assert sum(section.passages for section in every.sections) > placed  # repeated
    criminalization = next(s for s in every.sections if s.key == "criminalization")
    submitters = [name for name, _ in criminalization.groups]
    assert "Chile" in submitters
    entry = dict(criminalization.groups)["Chile"][0]
    assert entry.source.startswith("Chile, ") and entry.source.endswith("para. 1")


def test_contributors_by_group_and_late_submissions(export_db) -> None:
    compilation = compile_meeting(export_db, 4)
    assert compilation.contributors["African States"] == ["Ghana"]
    assert compilation.contributors["Latin American and Caribbean States"] == ["Chile"]
    assert compilation.contributors["Academia (observers)"] == [
        "University of Northbridge Cybercrime Lab"
    ]
    assert [item.submitter for item in compilation.late] == ["Chile"]
    assert compilation.late[0].days_late == 19  # due 13 March 2018, received 1 April


def test_unknown_or_empty_meetings_are_refused(export_db) -> None:
    with pytest.raises(UnknownMeetingError):
        compile_meeting(export_db, 12)
    with pytest.raises(EmptyCompilationError, match="nothing to compile"):
        compile_meeting(export_db, 5)


def test_docx_has_headings_contributors_and_sample_notice(export_db) -> None:
    document = Document(io.BytesIO(to_docx(compile_meeting(export_db, 4))))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Contents" in [p.text for p in document.paragraphs if p.style.name == "TOC Heading"]
    assert "Contributors by regional group" in headings
    assert "Submissions received after the deadline" in headings
    assert "1. Legislation and frameworks" in headings
    assert "African States (1)" in headings and "Ghana" in headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Illustrative sample data" in text
    assert "under the topic with the highest score" in text
    assert "Chile" in document.tables[0].rows[1].cells[0].text
    assert "Illustrative sample data" in document.sections[0].footer.paragraphs[0].text


def test_pdf_has_contents_pages_and_text(export_db) -> None:
    reader = PdfReader(io.BytesIO(to_pdf(compile_meeting(export_db, 4))))
    assert len(reader.pages) >= 3
    first = reader.pages[0].extract_text()
    assert "Contents" in first and "Contributors by regional group" in first
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Illustrative sample data" in text
    assert "Ghana" in text and "Received" in text


def test_the_summary_counts_what_the_compilation_holds(export_db) -> None:
    compilation = compile_meeting(export_db, 4)
    summary = compilation_summary(export_db, 4)
    assert (summary.documents, summary.passages, summary.late) == (
        compilation.documents,
        compilation.passages,
        len(compilation.late),
    )
    assert summary.deadline == compilation.deadline
    with pytest.raises(EmptyCompilationError, match="nothing to compile"):
        compilation_summary(export_db, 5)
    with pytest.raises(UnknownMeetingError):
        compilation_summary(export_db, 12)


def _field_codes(element) -> str:
    return " ".join(t.text for t in element.iter(qn("w:instrText")))


def test_docx_numbers_its_pages_and_has_a_word_table_of_contents(export_db) -> None:
    compilation = compile_meeting(export_db, 4)
    document = Document(io.BytesIO(to_docx(compilation)))
    footer = document.sections[0].footer
    assert "Illustrative sample data" in footer.paragraphs[0].text  # provenance first
    codes = _field_codes(footer._element)
    assert "PAGE" in codes and "NUMPAGES" in codes
    assert footer.paragraphs[-1].text == "Page 1 of 1"  # until Word updates the fields
    body = document.element.body
    assert 'TOC \\o "1-1"' in _field_codes(body)
    # the field's cached result: the hint, then every first-level heading as a link to it
    links = {
        link.get(qn("w:anchor")): "".join(t.text for t in link.iter(qn("w:t")))
        for link in body.iter(qn("w:hyperlink"))
    }
    assert list(links.values()) == contents(compilation)
    marks = {mark.get(qn("w:name")) for mark in body.iter(qn("w:bookmarkStart"))}
    assert set(links) <= marks
    text = [p.text for p in document.paragraphs]
    assert any(line.startswith("Right-click to update the table of contents") for line in text)
    begins = [c for c in body.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "begin"]
    ends = [c for c in body.iter(qn("w:fldChar")) if c.get(qn("w:fldCharType")) == "end"]
    assert len(begins) == len(ends) == 1
    assert [p.text for p in document.paragraphs if p.style.name == "TOC Heading"] == ["Contents"]
    # no prompt to update fields each time the document opens
    assert document.settings.element.find(qn("w:updateFields")) is None
    assert not any(c.get(qn("w:dirty")) for c in begins)


def test_docx_is_a4_and_says_what_it_is(export_db) -> None:
    compilation = compile_meeting(export_db, 4)
    document = Document(io.BytesIO(to_docx(compilation)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.top_margin.mm) == 25
    properties = document.core_properties
    assert properties.title == compilation.title
    assert properties.author == "IEG Analysis"
    assert "python-docx" not in (properties.comments or "")
    assert properties.created.year >= 2024


def test_references_name_the_parent_paragraph_or_the_page() -> None:
    passages = pd.DataFrame(
        [
            # a numbered document: subparagraphs (a), (b) under paragraph 8
            (1, 10, 1, "8.", 1),
            (2, 10, 2, "(a)", 1),
            (3, 10, 3, "(b)", 2),
            (4, 10, 4, "9", 2),
            (5, 10, 5, None, 2),
            # a PDF without numbers, then a Word document without numbers or pages
            (6, 11, 1, None, 3),
            (7, 12, 2, None, None),
            (8, 12, 1, None, None),
        ],
        columns=["passage_id", "document_id", "seq", "para_number", "page"],
    )
    references = paragraph_references(passages)
    assert references.to_dict() == {
        1: "para. 8",
        2: "para. 8 (a)",
        3: "para. 8 (b)",
        4: "para. 9",
        5: "p. 2",
        6: "p. 3",
        8: "unnumbered paragraph 1",
        7: "unnumbered paragraph 2",
    }


def _references(rows: list[tuple]) -> list[str]:
    """The references of one document's passages, given (heading, para_number, page)."""
    passages = pd.DataFrame(
        [(seq, 10, seq, *row) for seq, row in enumerate(rows, start=1)],
        columns=["passage_id", "document_id", "seq", "heading", "para_number", "page"],
    )
    return list(paragraph_references(passages).sort_index())


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(  # an unnumbered passage ends paragraph 8
            [("A", "8", 1), ("A", None, 2), ("A", "(a)", 2), ("A", "(i)", 2)],
            ["para. 8", "p. 2", "para. (a)", "para. (a) (i)"],
            id="unnumbered-between",
        ),
        pytest.param(  # so does a new heading
            [("A", "8", 1), ("B", "(a)", 1)],
            ["para. 8", "para. (a)"],
            id="new-heading",
        ),
        pytest.param(
            [("A", "8", 1), ("A", "(a)", 1), ("A", "(i)", 1), ("A", "(ii)", 1), ("A", "(b)", 1)],
            ["para. 8", "para. 8 (a)", "para. 8 (a) (i)", "para. 8 (a) (ii)", "para. 8 (b)"],
            id="roman-under-letter",
        ),
        pytest.param(  # (i) after (h) is the ninth letter; (v) after (iv) stays roman
            [("A", "8", 1), ("A", "(h)", 1), ("A", "(i)", 1), ("A", "(iv)", 1), ("A", "(v)", 1)],
            ["para. 8", "para. 8 (h)", "para. 8 (i)", "para. 8 (i) (iv)", "para. 8 (i) (v)"],
            id="letter-i-after-h",
        ),
        pytest.param(  # a roman list straight under the paragraph
            [("A", "8", 1), ("A", "(i)", 1), ("A", "(ii)", 1), ("A", "9", 1), ("A", "(a)", 1)],
            ["para. 8", "para. 8 (i)", "para. 8 (ii)", "para. 9", "para. 9 (a)"],
            id="roman-under-paragraph",
        ),
    ],
)
def test_references_follow_the_chain_of_items(rows, expected) -> None:
    assert _references(rows) == expected


def test_unnumbered_position_counts_the_documents_passages() -> None:
    # the query returned two of a Word document's passages: the 3rd and the 5th
    passages = pd.DataFrame(
        [(1, 12, 3, None, None), (2, 12, 5, None, None)],
        columns=["passage_id", "document_id", "seq", "para_number", "page"],
    )
    assert paragraph_references(passages).to_dict() == {
        1: "unnumbered paragraph 3",
        2: "unnumbered paragraph 5",
    }


def test_dates_and_meeting_names_follow_un_style(export_db) -> None:
    compilation = compile_meeting(export_db, 4)
    introduction = compilation.introduction()[0]
    assert "received for the fourth meeting, " in introduction
    assert ")," not in introduction.split("whose")[0]  # no doubled brackets
    document = Document(io.BytesIO(to_docx(compilation)))
    assert document.tables[0].rows[1].cells[2].text == "1 April 2018"
    footer = document.sections[0].footer.paragraphs[0].text
    assert f"Generated by IEG Analysis on {compilation.provenance.exported.day} " in footer
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(compilation))).pages)
    assert "1 April 2018" in pdf and "01 Apr 2018" not in pdf
