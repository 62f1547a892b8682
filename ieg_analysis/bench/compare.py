"""The baseline's answers must equal the product's: both frames are normalised (index,
column order, list cells, missing values, numeric types) and compared with pandas' testing."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype


def _cell(value: object) -> object:
    if isinstance(value, list | tuple | np.ndarray):
        return tuple(_cell(item) for item in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    out = {}
    for column in frame.columns:
        series = frame[column]
        if is_numeric_dtype(series) and not is_bool_dtype(series):
            out[column] = series.astype("float64")
        else:
            out[column] = pd.Series([_cell(v) for v in series], dtype=object)
    return pd.DataFrame(out, columns=list(frame.columns))


def assert_same(product: pd.DataFrame, baseline: pd.DataFrame, *, sort_by=None) -> None:
    """Raise AssertionError unless both frames hold the same rows and columns (column order
    and row order included, unless ``sort_by`` names columns to sort both by first)."""
    assert list(product.columns) == list(baseline.columns), (
        f"columns differ: {list(product.columns)} vs {list(baseline.columns)}"
    )
    left, right = normalise(product), normalise(baseline)
    if sort_by:
        left = left.sort_values(sort_by).reset_index(drop=True)
        right = right.sort_values(sort_by).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False, rtol=1e-6)
