"""The command line as a user runs it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ieg_analysis.cli import build_parser, main
from tests.factories import SUBMISSION_PARAGRAPHS, make_docx, make_pdf


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    code, output = run("--db", str(path), "init")
    assert code == 0 and "Empty database" in output
    return path


def test_init_refuses_to_overwrite(empty_db: Path, capsys) -> None:
    code, _ = run("--db", str(empty_db), "init")
    assert code == 2
    assert "already exists" in capsys.readouterr().err


def test_ingest_folder_with_options_then_status(tmp_path: Path, empty_db: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(make_pdf([SUBMISSION_PARAGRAPHS]))
    (folder / "b.docx").write_bytes(
        make_docx([("heading", "Prevention"), ("para", "1. Awareness in schools.")])
    )
    (folder / "ignored.xyz").write_text("not picked up from a folder")
    code, output = run(
        "--db",
        str(empty_db),
        "ingest",
        str(folder),
        "--meeting",
        "4",
        "--submitter",
        "Bolivia",
        "--kind",
        "written_submission",
        "--received",
        "2018-03-01",
    )
    assert code == 0, output
    assert "2 stored" in output
    code, output = run("--db", str(empty_db), "status")
    assert code == 0
    assert "Bolivia" not in output  # status shows counts, not names
    assert "written_submission" in output and "Fourth meeting" in output


def test_ingest_refusals_exit_2_with_reasons(tmp_path: Path, empty_db: Path, capsys) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"")
    code, output = run(
        "--db",
        str(empty_db),
        "ingest",
        str(bad),
        "--meeting",
        "4",
        "--submitter",
        "Ghana",
        "--kind",
        "statement",
    )
    assert code == 2
    assert "refused  " in output and "empty" in output
    assert "Traceback" not in output + capsys.readouterr().err


def test_unknown_meeting_and_missing_options(tmp_path: Path, empty_db: Path, capsys) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("1. Text.", encoding="utf-8")
    code, output = run(
        "--db",
        str(empty_db),
        "ingest",
        str(doc),
        "--meeting",
        "99",
        "--submitter",
        "Ghana",
        "--kind",
        "statement",
    )
    assert code == 2 and "Meeting '99' does not exist" in output
    code, _ = run("--db", str(empty_db), "ingest", str(doc))
    assert code == 2
    assert "--meeting, --submitter, --kind must be given" in capsys.readouterr().err


def test_manifest_missing_column(tmp_path: Path, empty_db: Path, capsys) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,meeting,kind\na.pdf,4,statement\n", encoding="utf-8")
    code, _ = run("--db", str(empty_db), "ingest", "--manifest", str(manifest))
    assert code == 2
    assert "lacks the column submitter" in capsys.readouterr().err


def test_status_without_database(tmp_path: Path, capsys) -> None:
    code, _ = run("--db", str(tmp_path / "none.duckdb"), "status")
    assert code == 2
    assert "init --sample" in capsys.readouterr().err


def test_help_texts_name_every_command() -> None:
    text = build_parser().format_help()
    for command in ("init", "ingest", "status"):
        assert command in text


def test_sample_files_with_a_manifest_are_stored_as_sample(tmp_path: Path, empty_db: Path) -> None:
    code, _ = run("sample-files", str(tmp_path / "inbox"), "--limit", "3")
    assert code == 0
    code, output = run(
        "--db", str(empty_db), "ingest", "--manifest", str(tmp_path / "inbox" / "manifest.csv")
    )
    assert code == 0 and "3 stored" in output
    from ieg_analysis.store.db import Database

    assert Database(empty_db).scalar("select count(*) from document where is_sample") == 3


def _paths(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "folder.xlsx").mkdir()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    return {"tmp": tmp_path}


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["match", "--output", "{tmp}/missing/m.xlsx"], "the folder {tmp}/missing does not exist."),
        (["match", "--output", "{tmp}/folder.xlsx"], "it is a folder; give a file name."),
        (["match", "--output", "{tmp}/m.csv"], "Cannot tell the format from 'm.csv'"),
        (["consolidate", "--output", "{tmp}/c.txt"], "give an output ending in .docx."),
        (["sample-files", "{tmp}/a-file"], "Cannot use {tmp}/a-file as a folder: it is a file."),
    ],
)
def test_unusable_output_paths_are_refused_in_one_sentence(
    tmp_path: Path, empty_db: Path, capsys, argv: list[str], expected: str
) -> None:
    paths = _paths(tmp_path)
    code, _ = run("--db", str(empty_db), *[a.format(**paths) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and expected.format(**paths) in err and err.count("\n") == 1
    assert not (tmp_path / "m.csv").exists() and not (tmp_path / "c.txt").exists()


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("{tmp}/a-file/x.duckdb", "Cannot use {tmp}/a-file as a folder: it is a file."),
        ("{tmp}/folder.xlsx", "Cannot create the database {tmp}/folder.xlsx"),
        ("/proc/x.duckdb", "Cannot create the database /proc/x.duckdb"),
    ],
)
def test_a_database_path_that_cannot_be_created_is_refused(
    tmp_path: Path, capsys, db: str, expected: str
) -> None:
    if db.startswith("/proc") and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    paths = _paths(tmp_path)
    code, _ = run("--db", db.format(**paths), "init")
    err = capsys.readouterr().err
    assert code == 2 and expected.format(**paths) in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["match", "--output", "{tmp}/missing/m.xlsx"], "the folder {tmp}/missing does not exist."),
        (["match", "--output", "{tmp}/a-file/m.xlsx"], "Cannot use {tmp}/a-file as a folder"),
        (["consolidate", "--output", "{tmp}/a-file/c.docx"], "Cannot use {tmp}/a-file as a folder"),
        (
            ["export", "compilation", "--meeting", "4", "--output", "{tmp}/a-file/c.docx"],
            "Cannot use {tmp}/a-file as a folder",
        ),
        (
            ["export", "chart", "capacity.heatmap", "--output", "{tmp}/folder.xlsx/c.png"],
            "Cannot write {tmp}/folder.xlsx/c.png: it is a folder",
        ),
        (
            ["export", "chart", "capacity.heatmap", "--data", "--output", "{tmp}/folder.png"],
            "Cannot write {tmp}/folder.xlsx: it is a folder; give a file name.",
        ),
        (["export", "pack", "{tmp}/none.json", "--output", "{tmp}/a-file/p.pdf"], "a-file as a"),
        (
            ["classify-text", "--input", "{tmp}/in.jsonl", "--output", "{tmp}/a-file/o.jsonl"]
            + ["--models", "{tmp}/no-models"],
            "Cannot use {tmp}/a-file as a folder: it is a file.",
        ),
    ],
)
def test_outputs_are_checked_before_any_work(
    tmp_path: Path, empty_db: Path, capsys, argv: list[str], expected: str
) -> None:
    paths = _paths(tmp_path)
    (tmp_path / "folder.xlsx" / "c.png").mkdir()
    (tmp_path / "in.jsonl").write_text('{"id": 1, "text": "Awareness."}\n', encoding="utf-8")
    code, output = run("--db", str(empty_db), *[a.format(**paths) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and expected.format(**paths) in err and err.count("\n") == 1
    assert output == ""  # refused before anything was computed or printed


def test_a_missing_file_in_an_existing_folder_is_still_an_internal_fault(tmp_path: Path) -> None:
    from ieg_analysis.cli import _path_problem

    error = FileNotFoundError(2, "No such file or directory", str(tmp_path / "gone.csv"))
    assert _path_problem(error) is None


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["review", "--limit", "99999999999999999999"], "is not a positive integer up to"),
        (["review", "--limit", "-5"], "argument --limit: '-5' is not a positive integer"),
        (["review", "--limit", "0"], "'0' is not a positive integer"),
        (["evidence", "4.1", "--top", "0"], "argument --top: '0' is not a positive integer"),
        (["evidence", "4.1", "--top", "-3"], "'-3' is not a positive integer"),
        (["match", "--per-need", "0"], "argument --per-need: '0' is not a positive integer"),
        (["match", "--per-need", "-1"], "'-1' is not a positive integer"),
        (
            ["init", "--sample", "--scale", "nan"],
            "argument --scale: 'nan' is not a positive number",
        ),
        (["init", "--sample", "--scale", "inf"], "'inf' is not a positive number"),
        (["init", "--sample", "--scale", "-1"], "'-1' is not a positive number"),
        (["init", "--sample", "--scale", "0"], "'0' is not a positive number"),
        (["sample-files", "{tmp}/d", "--limit", "-3"], "argument --limit: '-3' is not a positive"),
    ],
)
def test_counts_and_sizes_must_be_positive(tmp_path: Path, capsys, argv, expected) -> None:
    db = str(tmp_path / "x.duckdb")
    with pytest.raises(SystemExit) as exit_:
        run("--db", db, *[a.format(tmp=tmp_path) for a in argv])
    assert exit_.value.code == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists() and not (tmp_path / "d").exists()


def test_a_bad_setting_in_the_environment_is_one_sentence(monkeypatch, capsys) -> None:
    monkeypatch.setenv("IEG_MAX_UPLOAD_MB", "abc")
    assert run("status")[0] == 2
    assert capsys.readouterr().err == (
        "The setting IEG_MAX_UPLOAD_MB is 'abc'; it must be a positive integer up to "
        "2,147,483,647.\n"
    )
