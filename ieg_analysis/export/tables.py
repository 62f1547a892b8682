"""Tables for download: CSV and XLSX, safe to open in a spreadsheet (cells that a
spreadsheet would run as a formula are neutralised), XLSX with a provenance sheet first. A
cell holding a list ("Angola", "Burundi") is written "Angola; Burundi", an empty list as an
empty cell, never as Python's "['Angola', 'Burundi']"."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

_WRAP = Alignment(wrap_text=True, vertical="top")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """A text cell that starts like a formula gets a leading apostrophe (OWASP advice);
    anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def flatten(value: object) -> object:
    """A list, tuple, set or array cell as "a; b"; an empty one as None (an empty cell)."""
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        items = [str(item) for item in value if item is not None and not _missing(item)]
        return "; ".join(items) or None
    return value


def _missing(item: object) -> bool:
    try:
        return bool(pd.isna(item))
    except (TypeError, ValueError):
        return False


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(flatten).map(neutralise)
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, notice: str | None = None) -> bytes:
    """UTF-8 CSV (with a BOM, for spreadsheets). A ``notice`` (the sample data's) becomes the
    first column of every row: a CSV has no room for a header note that every reader keeps,
    and a row passed on alone still says it is illustrative."""
    if notice:
        frame = frame.copy()
        frame.insert(0, "notice", notice)
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


_WHOLE_NUMBER = re.compile(r"0|[1-9][0-9]{0,14}")
MIN_WIDTH, MAX_WIDTH = 12, 60


def _numbers(value: object) -> object:
    """A text cell that is a whole number ("12", a paragraph number) as the number, so that
    a spreadsheet sorts and sums it instead of flagging "number stored as text"."""
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return int(value)
    return value


def _lay_out(sheet, frame: pd.DataFrame) -> None:
    """Columns as wide as their content (MIN_WIDTH to MAX_WIDTH characters), longer text
    wrapped; the header row frozen and filterable."""
    for index, column in enumerate(frame.columns, start=1):
        values = frame[column].dropna().head(10_000).astype(str)  # a sample is enough
        longest = max([len(str(column)), *values.str.len().tolist()])
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        if longest > MAX_WIDTH:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = _WRAP
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = sheet.dimensions


def to_xlsx_bytes(
    frame: pd.DataFrame, provenance: Mapping[str, str], *, sheet: str = "data"
) -> bytes:
    """An XLSX whose first sheet says what the data is and where it came from; each sheet
    laid out for reading (see ``_lay_out``)."""
    buffer = io.BytesIO()
    about = safe_frame(
        pd.DataFrame({"field": list(provenance), "value": list(provenance.values())})
    )
    data = safe_frame(frame)
    for column in data.columns:
        if data[column].dtype == object or pd.api.types.is_string_dtype(data[column]):
            data[column] = data[column].astype(object).map(_numbers)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in (("provenance", about), (sheet[:31], data)):
            table.to_excel(writer, sheet_name=name, index=False)
            _lay_out(writer.sheets[name], table)
    return buffer.getvalue()
