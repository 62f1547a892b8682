from __future__ import annotations

import json
from pathlib import Path

import pytest

from ieg_analysis.nlp import CAPACITY_LABELS, TOPICS
from ieg_analysis.nlp.evaluate import calibration, evaluate, format_report, write_report

PASSAGES = [
    {
        "id": "t1",
        "lang": "en",
        "topics": ["international_cooperation"],
        "capacity": "none",
        "text": "Extradition requests are sent through diplomatic channels to the requested State.",
    },
    {
        "id": "t2",
        "lang": "en",
        "topics": ["law_enforcement"],
        "capacity": "need",
        "text": "Our police lack the forensic tools and training to investigate ransomware.",
    },
    {
        "id": "t3",
        "lang": "fr",
        "topics": [],
        "capacity": "none",
        "text": "Le Président a remercié les délégations et levé la séance.",
    },
    {
        "id": "t4",
        "lang": "es",
        "topics": ["prevention"],
        "capacity": "provision",
        "text": "Ofrecemos financiar campañas de sensibilización en las escuelas de la región.",
    },
]


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PASSAGES), encoding="utf-8")
    return path


def test_report_structure(classifier, labelled: Path, tmp_path: Path):
    report = evaluate(classifier, path=labelled)
    assert report["passages"] == 4 and report["unclassified"] == 0
    assert set(report["topics"]["per_label"]) == set(TOPICS)
    assert set(report["capacity"]["per_label"]) == set(CAPACITY_LABELS)
    for scores in report["topics"]["per_label"].values():
        assert set(scores) == {"precision", "recall", "f1", "support"}
    confusion = report["capacity"]["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 4
    assert 0 <= report["calibration"]["topics"]["ece"] <= 1
    assert len(report["calibration"]["capacity"]["bins"]) == 10
    assert set(report["by_language"]) == {"en", "fr", "es"}
    path = write_report(report, tmp_path)
    assert json.loads(path.read_text(encoding="utf-8"))["model_version"] == classifier.version
    table = format_report(report)
    assert "macro-F1" in table and "ECE" in table


def test_calibration_of_a_perfectly_calibrated_set():
    pairs = [(0.85, True)] * 85 + [(0.85, False)] * 15 + [(0.15, True)] * 15 + [(0.15, False)] * 85
    result = calibration(pairs)
    assert result["ece"] == pytest.approx(0.0)
    assert [b["n"] for b in result["bins"] if b["n"]] == [100, 100]


def test_a_line_that_is_not_an_object_is_one_clear_error(tmp_path: Path):
    from ieg_analysis.nlp.data import LabelledDataError, read_passages

    path = tmp_path / "bad.jsonl"
    path.write_text('["not", "an", "object"]\n', encoding="utf-8")
    with pytest.raises(LabelledDataError, match="Line 1 of .* is not a labelled passage"):
        read_passages(path)
