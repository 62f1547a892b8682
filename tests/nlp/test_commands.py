"""The classify-text public interface, through the CLI entry point."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from ieg_analysis.cli import main
from ieg_analysis.nlp import CAPACITY_LABELS, TOPICS
from ieg_analysis.settings import REPO_ROOT

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


def test_evaluate_on_other_data_keeps_the_heldout_report(tmp_path: Path, capsys):
    """Scoring a diagnostic file must not replace the held-out report the app shows."""
    models = tmp_path / "models"
    shutil.copytree(REPO_ROOT / "models", models)
    shipped = (models / "evaluation.json").read_text(encoding="utf-8")
    heldout = (REPO_ROOT / "data" / "evaluation" / "heldout.jsonl").read_text(encoding="utf-8")
    sample = _write(tmp_path / "sample.jsonl", heldout.splitlines()[:12])

    out = io.StringIO()
    args = ["evaluate", "--models", str(models), "--data", str(sample)]
    assert main(args, out=out) == 0
    assert "Report not written" in out.getvalue()
    assert (models / "evaluation.json").read_text(encoding="utf-8") == shipped

    report_path = tmp_path / "sample-report.json"
    assert main([*args, "--report", str(report_path)], out=io.StringIO()) == 0
    assert json.loads(report_path.read_text(encoding="utf-8"))["passages"] == 12
    assert (models / "evaluation.json").read_text(encoding="utf-8") == shipped

    missing = tmp_path / "no-such-folder" / "report.json"
    assert main([*args, "--report", str(missing)], out=io.StringIO()) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("Cannot write the report to") and "\n" not in error


def test_evaluate_knows_the_held_out_set_by_a_relative_path(tmp_path: Path, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(REPO_ROOT / "models", models)
    (models / "evaluation.json").unlink()
    monkeypatch.chdir(REPO_ROOT)
    out = io.StringIO()
    args = ["evaluate", "--models", str(models), "--data", "data/evaluation/heldout.jsonl"]
    assert main(args, out=out) == 0
    report = json.loads((models / "evaluation.json").read_text(encoding="utf-8"))
    assert report["dataset"] == "heldout.jsonl" and len(report["other_sets"]) >= 2
    diagnostic = report["diagnostic_sets"]["documents.jsonl"]
    assert diagnostic["passages"] > 2000 and diagnostic["headings_left_out"] > 900
    assert "Diagnostic (not a held-out set)" in out.getvalue()


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], "holds no labelled passages, so there is nothing to score."),
        (
            [
                '{"id": "x1", "text": "Wir fordern Schulungen.", "lang": "de", "topics": [], '
                '"capacity": "need"}'
            ],
            "None of the 1 passages in",
        ),
    ],
)
def test_evaluate_refuses_data_with_nothing_to_score(tmp_path: Path, capsys, lines, expected):
    data = _write(tmp_path / "empty.jsonl", lines)
    args = ["evaluate", "--models", str(REPO_ROOT / "models"), "--data", str(data)]
    assert main(args, out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_non_utf8_labelled_data_is_refused(tmp_path: Path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "latin1.jsonl"
    path.write_bytes('{"id": "x", "text": "Déclaration"}\n'.encode("latin-1"))
    output = tmp_path / "models"
    train = ["train", "--training-data", str(folder), "--max-steps", "1", "--output", str(output)]
    evaluate = ["evaluate", "--models", str(REPO_ROOT / "models"), "--data", str(path)]
    for args in (train, evaluate):
        assert main(args, out=io.StringIO()) == 2
        assert capsys.readouterr().err == f"The labelled-data file {path} is not UTF-8 text.\n"
    assert not output.exists()
