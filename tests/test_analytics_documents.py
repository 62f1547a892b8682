"""The Data page's document list, a page at a time, on the bundled sample."""

from __future__ import annotations

import pandas as pd

from ieg_analysis.analytics.documents import document_count, document_list, sample_passage_ids


def test_pages_of_the_document_list_make_up_the_whole_list(sample_db) -> None:
    every = document_list(sample_db)
    assert document_count(sample_db) == len(every) > 100
    assert every["id"].is_monotonic_decreasing  # newest first
    assert every["is_sample"].all()  # the Data page tells sample documents apart
    pages = [
        document_list(sample_db, offset=start, limit=100) for start in range(0, len(every), 100)
    ]
    assert all(len(page) == 100 for page in pages[:-1]) and 0 < len(pages[-1]) <= 100
    pd.testing.assert_frame_equal(pd.concat(pages, ignore_index=True), every)
    assert document_list(sample_db, offset=len(every), limit=100).empty


def test_the_list_narrows_to_a_meeting_and_to_words(sample_db) -> None:
    every = document_list(sample_db)
    fifth = document_list(sample_db, meeting=5)
    assert len(fifth) == document_count(sample_db, meeting=5) == (every["meeting"] == 5).sum()
    name = every.iloc[0]["submitter"]
    found = document_list(sample_db, search=f"  {name.upper()} ")  # any case, trimmed
    assert len(found) == document_count(sample_db, search=name) > 0
    assert set(found["submitter"]) >= {name}
    both = document_list(sample_db, meeting=5, search=name)
    assert set(both["id"]) == set(fifth["id"]) & set(found["id"])
    # LIKE's wildcards are literal characters here
    assert document_count(sample_db, search="%") == 0  # no name holds a per cent sign
    assert document_list(sample_db, meeting=99).empty


def test_sample_passages_are_found_by_id(sample_db) -> None:
    ids = sample_db.query("select id from passage order by id limit 1500")["id"].tolist()
    assert sample_passage_ids(sample_db, tuple(reversed(ids))) == frozenset(ids)  # 2 chunks
    assert sample_passage_ids(sample_db, (10**9,)) == frozenset()  # no such passage
    assert sample_passage_ids(sample_db, ()) == frozenset()
