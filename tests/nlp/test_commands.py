"""The classify-text public interface, through the CLI entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ieg_analysis.cli import main
from ieg_analysis.nlp import CAPACITY_LABELS, TOPICS

KEYS = {"id", "language", "topics", "topic", "capacity", "capacity_label", "terms"}


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_classify_text_round_trip(tmp_path: Path):
    source = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": 1, "text": "We request training for our cybercrime investigators."}),
            json.dumps({"id": "b", "text": "Правительство приняло закон."}),
            json.dumps({"id": "c", "text": "Nous offrons une formation aux enquêteurs."}),
        ],
    )
    target = tmp_path / "out.jsonl"
    out = io.StringIO()
    assert main(["classify-text", "--input", str(source), "--output", str(target)], out=out) == 0
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == [1, "b", "c"]
    english, russian, french = lines
    assert set(english) == KEYS
    assert set(english["topics"]) == set(TOPICS)
    assert set(english["capacity"]) == set(CAPACITY_LABELS)
    assert english["capacity_label"] in CAPACITY_LABELS
    assert english["topic"] is None or english["topic"] in TOPICS
    assert french["language"] == "fr"
    assert set(russian) == KEYS | {"unclassified_reason"}
    assert russian["language"] == "ru"
    assert russian["topics"] == {} and russian["topic"] is None
    assert russian["capacity"] == {} and russian["capacity_label"] is None
    assert "Classified 2 of 3" in out.getvalue()


@pytest.mark.parametrize(
    "lines",
    [["{not json"], [json.dumps({"id": 1})], [json.dumps({"id": 1, "text": 5})], ["[1, 2]"]],
)
def test_bad_input_is_refused_and_nothing_written(tmp_path: Path, capsys, lines):
    source = _write(tmp_path / "in.jsonl", [json.dumps({"id": 0, "text": "fine"}), *lines])
    target = tmp_path / "out.jsonl"
    code = main(
        ["classify-text", "--input", str(source), "--output", str(target)], out=io.StringIO()
    )
    assert code == 2
    assert not target.exists()
    error = capsys.readouterr().err.strip()
    assert "Line 2" in error and "\n" not in error


def test_missing_input_file(tmp_path: Path, capsys):
    code = main(
        [
            "classify-text",
            "--input",
            str(tmp_path / "none.jsonl"),
            "--output",
            str(tmp_path / "out.jsonl"),
        ],
        out=io.StringIO(),
    )
    assert code == 2
    assert "does not exist" in capsys.readouterr().err
