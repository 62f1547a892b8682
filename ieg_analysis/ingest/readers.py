"""Readers: bytes of one format to blocks of text (or records, for CSV/JSON)."""

from __future__ import annotations

import csv
import io
import json
import logging
import re

from ..errors import InputFileError
from ..records import Block, RawDocument
from .sniff import decode_text

# pypdf logs warnings for every damaged object; the refusal message says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(name: str, data: bytes) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (NotImplementedError, PdfReadError, ValueError):
                ok = 0
            if not ok:
                raise InputFileError(
                    name, "the PDF is password-protected; remove the password and try again."
                )
        blocks: list[Block] = []
        n_pages = len(reader.pages)
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text(extraction_mode="layout") or ""
            blocks.extend(Block(line, page=number) for line in text.splitlines())
            blocks.append(Block("", page=number, style="pagebreak"))
    except InputFileError:
        raise
    except FileNotDecryptedError as error:
        raise InputFileError(
            name, "the PDF is password-protected; remove the password and try again."
        ) from error
    except Exception as error:  # pypdf raises many types on damaged files
        raise InputFileError(name, "the PDF is damaged or truncated and cannot be read.") from error
    letters = sum(ch.isalpha() for block in blocks for ch in block.text)
    if n_pages == 0 or letters < 20 * max(n_pages, 1) // 4:
        raise InputFileError(
            name,
            "the PDF has no text layer (it looks scanned); run OCR on it first "
            "(for example with ocrmypdf) and ingest the result.",
        )
    return RawDocument(tuple(blocks), n_pages=n_pages)


def read_docx(name: str, data: bytes) -> RawDocument:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        raise InputFileError(name, "the Word file is damaged and cannot be opened.") from error
    blocks: list[Block] = []
    # style ids to names once: python-docx's paragraph.style looks the default up each time
    names = {style.style_id: (style.name or "") for style in document.styles}
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = names.get(paragraph._p.style or "", "") or (paragraph._p.style or "")
        is_heading = style.lower().startswith(("heading", "title"))
        blocks.append(Block(text, style="heading" if is_heading else "para"))
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
            if cells:
                blocks.append(Block(" | ".join(dict.fromkeys(cells)), style="para"))
    if not blocks:
        raise InputFileError(name, "the Word file contains no text.")
    return RawDocument(tuple(blocks))


def read_text(name: str, data: bytes) -> RawDocument:
    text = decode_text(name, data)
    if not text.strip():
        raise InputFileError(name, "the file contains no text.")
    blocks: list[Block] = []
    for number, page in enumerate(text.split("\f"), start=1):
        blocks.extend(Block(line, page=number) for line in page.splitlines())
        blocks.append(Block("", page=number, style="pagebreak"))
    pages = text.count("\f") + 1
    return RawDocument(tuple(blocks), n_pages=pages if pages > 1 else None)


def read_csv(name: str, data: bytes) -> RawDocument:
    text = decode_text(name, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        rows = []
        for row in reader:
            if None in row:
                raise InputFileError(
                    name, f"row {reader.line_num} has more fields than the header."
                )
            rows.append({_column(k): (v or "").strip() for k, v in row.items()})
    except csv.Error as error:
        raise InputFileError(name, f"the CSV is malformed ({error}).") from error
    if not rows:
        raise InputFileError(name, "the CSV has a header but no rows.")
    return RawDocument((), rows=tuple(rows))


def read_json(name: str, data: bytes) -> RawDocument:
    text = decode_text(name, data)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            name, f"the JSON is malformed (line {error.lineno}, column {error.colno})."
        ) from error
    except RecursionError as error:
        raise InputFileError(name, "the JSON is nested too deeply to be rows.") from error
    if isinstance(payload, dict):
        for key in ("recommendations", "comments", "passages", "items"):
            if isinstance(payload.get(key), list):
                payload = payload[key]
                break
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise InputFileError(name, "the JSON must be a list of objects (one per row).")
    if not payload:
        raise InputFileError(name, "the JSON list is empty.")
    row_names = tuple(f"item {n}" for n in range(1, len(payload) + 1))
    rows = tuple(
        {_column(k): _json_value(name, where, _column(k), v) for k, v in item.items()}
        for where, item in zip(row_names, payload, strict=True)
    )
    return RawDocument((), rows=rows, row_names=row_names)


# columns that hold prose: a number or true/false there is a mistake, not text
TEXT_COLUMNS = ("text", "heading", "title")
# columns that hold a recommendation's MEETING.NUMBER: as a JSON fraction, 4.10 arrives as
# 4.1 and would point at another recommendation (a whole number, NUMBER alone, is fine)
REFERENCE_COLUMNS = ("merged_into", "recommendation")


def _json_value(name: str, where: str, column: str, value: object) -> str:
    """A JSON object's value as the text the CSV reader would give ("12" for 12 or 12.0);
    a list or object, or a non-string text, is refused. ``where`` names the object in the
    message ("item 1": the first of the list)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, dict)) or column in TEXT_COLUMNS:
        what = {list: "a list", dict: "an object", bool: "true/false"}.get(type(value), "a number")
        raise InputFileError(name, f"{where}: {column} is {what}, not a string.")
    if column in REFERENCE_COLUMNS and (isinstance(value, bool) or not isinstance(value, int)):
        raise InputFileError(
            name,
            f'{where}: {column} is the number {value}; write it as text, e.g. "4.10" (as a '
            "number, 4.10 reads as 4.1).",
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 12.0, as spreadsheets and some tools write whole numbers
    return str(value)


def _column(name: str | None) -> str:
    return re.sub(r"\W+", "_", (name or "").strip().lower()).strip("_")


READERS = {
    "pdf": read_pdf,
    "docx": read_docx,
    "txt": read_text,
    "md": read_text,
    "csv": read_csv,
    "json": read_json,
}
