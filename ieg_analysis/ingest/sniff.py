"""What a file really is, from its content rather than its name, within the size limits."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from ..errors import InputFileError

EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
}
# A DOCX whose parts expand past this, or compress more than this ratio, is refused as a bomb.
MAX_DOCX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_DOCX_RATIO = 200


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_NAME_CHARS = 255


def check_name(name: str, *, upload: bool) -> None:
    """A file name fit to store and show: no control or bidirectional-override characters, not
    over-long, and for an upload a bare name (no folders, no '..')."""
    if _CONTROL.search(name):
        raise InputFileError(
            repr(name)[1:-1], "the file name contains control characters; rename the file."
        )
    if len(name) > MAX_NAME_CHARS:
        raise InputFileError(name[:60] + "…", f"the file name is over {MAX_NAME_CHARS} characters.")
    if upload and (
        "/" in name or "\\" in name or name.strip() in ("", ".", "..") or name.startswith("~")
    ):
        raise InputFileError(
            name, "an uploaded file name must be a bare name, without folders or '..'."
        )


def declared_format(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS:
        allowed = ", ".join(sorted({s.lstrip(".") for s in EXTENSIONS}))
        shown = suffix or "no extension"
        raise InputFileError(name, f"the file type '{shown}' is not supported (use {allowed}).")
    return EXTENSIONS[suffix]


def check_content(name: str, data: bytes, *, max_bytes: int) -> str:
    """The format of ``data``, after checking that its content matches its extension."""
    declared = declared_format(name)
    if not data:
        raise InputFileError(name, "the file is empty (0 bytes).")
    if len(data) > max_bytes:
        raise InputFileError(
            name,
            f"the file is {len(data) / 1_048_576:.1f} MB, over the "
            f"{max_bytes / 1_048_576:.0f} MB limit.",
        )
    is_pdf = data[:1024].lstrip().startswith(b"%PDF")
    is_zip = data[:4] == b"PK\x03\x04"
    if declared == "pdf" and not is_pdf:
        raise InputFileError(name, "the name says PDF but the content is not a PDF file.")
    if declared == "docx":
        if not is_zip:
            raise InputFileError(name, "the name says DOCX but the content is not a Word file.")
        _check_docx_zip(name, data)
    if declared in ("txt", "md", "csv", "json") and (is_pdf or is_zip or b"\x00" in data[:4096]):
        raise InputFileError(
            name, f"the name says {declared.upper()} but the content is binary, not text."
        )
    return declared


def _check_docx_zip(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, ValueError) as error:
        raise InputFileError(name, "the Word file is damaged and cannot be opened.") from error
    if "word/document.xml" not in names:
        raise InputFileError(name, "the name says DOCX but the content is not a Word document.")
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_DOCX_EXPANDED_BYTES or expanded > MAX_DOCX_RATIO * max(len(data), 1):
        raise InputFileError(
            name, "the Word file expands to an implausible size (a zip bomb?) and was refused."
        )


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed); anything else is refused with a hint."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputFileError(name, "the UTF-16 text is damaged.") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputFileError(
            name,
            f"the text is not UTF-8 (invalid byte at position {error.start}); "
            "save it as UTF-8 and try again.",
        ) from error
