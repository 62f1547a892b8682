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


def test_xlsx_is_laid_out_for_reading() -> None:
    frame = pd.DataFrame(
        {
            "State": ["Chile", "Ghana"],
            "Need: paragraph": ["12", "(c)"],
            "Need: passage": ["x" * 600, "short"],
        }
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, {"about": "test"})))
    sheet = book["data"]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] == 12  # at least the minimum
    assert widths["B"] == len("Need: paragraph") + 2
    assert widths["C"] == 60  # capped ...
    assert sheet["C2"].alignment.wrap_text  # ... and wrapped
    assert not sheet["A2"].alignment.wrap_text
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["B2"].value == 12 and sheet["B3"].value == "(c)"  # a number, not text
    assert book["provenance"].freeze_panes == "A2"
