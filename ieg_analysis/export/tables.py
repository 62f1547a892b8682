"""Tables for download: CSV and XLSX, safe to open in a spreadsheet (cells that a
spreadsheet would run as a formula are neutralised), XLSX with a provenance sheet first. A
cell holding a list ("Angola", "Burundi") is written "Angola; Burundi", an empty list as an
empty cell, never as Python's "['Angola', 'Burundi']"."""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd

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


def to_xlsx_bytes(
    frame: pd.DataFrame, provenance: Mapping[str, str], *, sheet: str = "data"
) -> bytes:
    """An XLSX whose first sheet says what the data is and where it came from."""
    buffer = io.BytesIO()
    about = pd.DataFrame({"field": list(provenance), "value": list(provenance.values())})
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(about).to_excel(writer, sheet_name="provenance", index=False)
        safe_frame(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()
