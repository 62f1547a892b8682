from __future__ import annotations

from ieg_analysis.analytics.explorer import export_passages
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.reference import load_reference


def test_the_explorer_download_uses_the_labels_a_reader_knows(export_db) -> None:
    table = export_passages(export_db, Filters())
    assert set(table["submitter_type"]) <= {"Member State", "Academia", "UNODC"}
    assert "Member State" in set(table["submitter_type"])
    assert set(table["kind"]) == {"Written submission"}
    assert set(table["capacity"].dropna()) <= {"Need", "Offer", "Neither"}
    topics = load_reference().topics
    labels = [topic.label for topic in topics.values()]
    listed = [cell.split("; ") for cell in table["topics"] if cell]
    assert listed and any(len(names) > 1 for names in listed)
    for names in listed:
        assert set(names) <= set(labels)
        assert names == sorted(names, key=labels.index)  # work-plan order, always
