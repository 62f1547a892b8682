from __future__ import annotations

import io

import numpy as np
import openpyxl
import pandas as pd

from ieg_analysis.export.tables import to_csv_bytes, to_xlsx_bytes

LISTS = pd.DataFrame(
    {
        "topic": ["prevention", "criminalization", "law_enforcement"],
        "states": [["Angola", "Burundi"], [], np.array(["Chile"])],
        "pair": [("a", "b"), None, ("=x",)],
        "count": [2, 0, 1],
    }
)


def test_list_cells_are_joined_and_empty_lists_are_empty_cells() -> None:
    rows = pd.read_csv(io.BytesIO(to_csv_bytes(LISTS)), keep_default_na=False)
    assert rows["states"].tolist() == ["Angola; Burundi", "", "Chile"]
    assert rows["pair"].tolist() == ["a; b", "", "'=x"]  # still neutralised
    assert rows["count"].tolist() == [2, 0, 1]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(LISTS, {"about": "test"})))
    sheet = book["data"]
    assert [cell.value for cell in sheet["B"]] == ["states", "Angola; Burundi", None, "Chile"]
