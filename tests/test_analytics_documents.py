"""The Data page's document list, a page at a time, on the bundled sample."""

from __future__ import annotations

import pandas as pd

from ieg_analysis.analytics.documents import document_count, document_list


def test_pages_of_the_document_list_make_up_the_whole_list(sample_db) -> None:
    every = document_list(sample_db)
    assert document_count(sample_db) == len(every) > 100
    assert every["id"].is_monotonic_decreasing  # newest first
    pages = [
        document_list(sample_db, offset=start, limit=100) for start in range(0, len(every), 100)
    ]
    assert all(len(page) == 100 for page in pages[:-1]) and 0 < len(pages[-1]) <= 100
    pd.testing.assert_frame_equal(pd.concat(pages, ignore_index=True), every)
    assert document_list(sample_db, offset=len(every), limit=100).empty
