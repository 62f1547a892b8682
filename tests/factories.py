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


def fake_classify(db, *, version: str = "test-1") -> None:
    """Store deterministic labels for every passage and recommendation, from keywords, as a
    stand-in for the trained model (tests of analytics and pages need labels, not a model).
    Topics: words in the text; need: "would welcome"/"lacks"/"needs"; provision: "offers"."""
    import pandas as pd

    from ieg_analysis.store.writer import Writer

    keywords = {
        "legislation_frameworks": ("law", "legislation", "act "),
        "criminalization": ("criminaliz", "offence", "ransomware"),
        "law_enforcement": ("police", "investigat", "forensic"),
        "electronic_evidence": ("evidence", "prosecutor", "judge"),
        "international_cooperation": ("mutual legal", "extradition", "cooperation"),
        "prevention": ("awareness", "school", "prevent"),
    }

    def label(text: str) -> dict:
        lower = text.lower()
        scores = {t: (0.9 if any(k in lower for k in ks) else 0.1) for t, ks in keywords.items()}
        labels = [t for t, s in scores.items() if s > 0.5]
        if any(k in lower for k in ("would welcome", "lacks", "needs", "requests")):
            capacity = {"need": 0.8, "provision": 0.1, "none": 0.1}
        elif "offers" in lower or "offer " in lower:
            capacity = {"need": 0.1, "provision": 0.8, "none": 0.1}
        else:
            capacity = {"need": 0.05, "provision": 0.05, "none": 0.9}
        return {
            **scores,
            "classified": True,
            "reason": None,
            "topic": max(labels, key=scores.get) if labels else None,
            "topic_labels": labels,
            "need": capacity["need"],
            "provision": capacity["provision"],
            "none": capacity["none"],
            "capacity_label": max(capacity, key=capacity.get),
        }

    empty_terms = pd.DataFrame(columns=["source_id", "term_id", "start_char", "end_char"])
    with Writer(db) as writer:
        writer.register_model(version, meta="{}", evaluation=None)
        for source, sql in (
            ("passage", "select id, text from passage"),
            ("recommendation", "select id, text from recommendation"),
        ):
            rows = writer.con.execute(sql).fetchall()
            if not rows:
                continue
            frame = pd.DataFrame(
                [{f"{source}_id": i, "model_version": version, **label(t)} for i, t in rows]
            )
            writer.store_classifications(source, version, frame, empty_terms)


def parsed_document(
    content_hash: str, actor, meeting: int, texts, *, kind: str = "written_submission"
):
    """A parsed English document of ``actor`` at ``meeting``, a passage per text (numbered
    from 1), as the readers hand it to the writer."""
    from ieg_analysis.records import DocumentMeta, ParsedDocument, PassageDraft

    return ParsedDocument(
        source_name=f"{content_hash}.txt",
        source_format="txt",
        content_hash=content_hash,
        meta=DocumentMeta(meeting=meeting, actor=actor, kind=kind),
        passages=[PassageDraft(i, None, str(i), t, "en") for i, t in enumerate(texts, 1)],
        language="en",
    )
