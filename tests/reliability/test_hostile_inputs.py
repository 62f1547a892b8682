"""Hostile and broken input: every case is refused with one clear line and leaves nothing
stored, in a batch whose good files still go in; payload text is stored verbatim."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from ieg_analysis.analytics.explorer import search_passages
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.store.db import Database
from tests.reliability.batch import cli, cli_env
from tests.reliability.hostile import GOOD_DOCX, GOOD_PDF, PAYLOADS, REFUSED, STORED_AS_TEXT

DEFAULT = {"meeting": 5, "submitter": "Ghana", "kind": "written_submission"}


def _request(case) -> IngestRequest:
    return IngestRequest(name=case.name, data=case.data, **{**DEFAULT, **case.meta})


def test_the_corpus_is_big_enough() -> None:
    assert len(REFUSED) >= 50
    assert len({c.id for c in REFUSED + STORED_AS_TEXT}) == len(REFUSED + STORED_AS_TEXT)


def test_every_hostile_case_is_refused_in_one_line_and_the_batch_goes_on(db, settings) -> None:
    good = [
        IngestRequest(name="good.pdf", data=GOOD_PDF, **DEFAULT),
        IngestRequest(name="good.docx", data=GOOD_DOCX, **DEFAULT),
    ]
    requests = [good[0], *[_request(c) for c in REFUSED], good[1]]
    report = ingest(db, requests, settings=settings)
    outcomes = {o.name: o for o in report.outcomes}
    wrong = []
    for case in REFUSED:
        outcome = outcomes[case.name]
        if outcome.status != "refused" or "\n" in outcome.message or not outcome.message:
            wrong.append(f"{case.id}: {outcome.status}: {outcome.message[:120]}")
    assert wrong == []
    assert report.exit_code == 2
    assert [outcomes[r.name].status for r in good] == ["stored", "stored"]
    assert db.scalar("select count(*) from document") == 2  # nothing of the refused
    assert db.scalar("select count(*) from actor where name like 'Acme%'") == 0
    assert db.scalar("select count(distinct source_name) from document") == 2
    print(f"\nhostile cases refused cleanly: {len(REFUSED)}; good files stored: 2")


@pytest.mark.parametrize("case", STORED_AS_TEXT, ids=lambda c: c.id)
def test_payload_text_is_stored_verbatim(case, db, settings) -> None:
    report = ingest(db, [_request(case)], settings=settings)
    assert report.outcomes[0].status == "stored", report.outcomes[0].message
    texts = db.query("select text from passage")["text"].tolist()
    if case.id == "txt-script-payloads":
        for payload in PAYLOADS:
            assert any(payload in t for t in texts)
    else:
        assert any(t.startswith("=HYPERLINK") for t in texts)


def test_the_cli_refuses_with_exit_code_2_in_bounded_memory(tmp_path) -> None:
    """The big cases through the command line, in a batch with a good file: one line each,
    exit code 2, the good file stored, and peak memory well under the files' expanded size."""
    from tests.reliability.hostile import HUGE_FIELD, docx_bomb, oversize

    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "big.pdf": oversize("pdf", 51),
        "big.docx": oversize("docx", 51),
        "bomb.docx": docx_bomb(),
        "huge.csv": HUGE_FIELD,
        "deep.json": b"[" * 200_000 + b"]" * 200_000,
        "good.pdf": GOOD_PDF,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (tmp_path / "outside.txt").write_text("Outside the manifest's folder.", encoding="utf-8")
    rows = [f"{name},5,Ghana,written_submission" for name in files]
    rows.append("../outside.txt,5,Ghana,written_submission")
    manifest = folder / "manifest.csv"
    manifest.write_text("path,meeting,submitter,kind\n" + "\n".join(rows) + "\n", "utf-8")
    db_path = tmp_path / "cli.duckdb"
    # The CLI reports its own peak (VmHWM of its address space): a child's ru_maxrss also
    # counts the parent's memory at fork time, so it measures pytest, not the CLI.
    runner = (
        "import re, sys\n"
        "from ieg_analysis.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "status = open('/proc/self/status').read()\n"
        "print('PEAK_KB', re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        "sys.exit(code)\n"
    )
    command = [
        sys.executable,
        "-c",
        runner,
        *cli(db_path, "ingest", "--manifest", str(manifest))[3:],
    ]
    process = subprocess.run(
        command,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    stdout, stderr, returncode = process.stdout, "", process.returncode
    peak_mb = int(re.search(r"PEAK_KB (\d+)", stdout).group(1)) / 1024
    print(f"\nCLI over the big hostile files: exit {returncode}, peak RSS {peak_mb:.0f} MB")
    # a CLI run that stores one good PDF peaks at ~340 MB here (DuckDB, pandas, pyarrow);
    # the hostile files (>160 MB on disk, the bomb 60 MB inside) must add little to that
    assert peak_mb < 640
    lines = [line for line in stdout.splitlines() if line.startswith(("refused", "stored"))]
    assert returncode == 2, stdout + stderr
    assert len(lines) == len(files) + 1
    assert sum(line.startswith("refused") for line in lines) == len(files)
    assert "stored   good.pdf" in stdout
    assert "outside the manifest's folder" in stdout
    assert Database(db_path).scalar("select count(*) from document") == 1


def test_search_binds_sql_injection_strings(db, settings) -> None:
    ingest(db, [IngestRequest(name="good.pdf", data=GOOD_PDF, **DEFAULT)], settings=settings)
    before = db.scalar("select count(*) from passage")
    for text in [
        "'; drop table passage; --",
        '" or 1=1 --',
        "evidence' union select * from audit_log --",
        "%' or '1'='1",
        '"\\"; delete from document; --"',
        "fts_main_passage.match_bm25(1, 'x')",
        "\x00\x1b[31m",
        "a" * 10_000,
    ]:
        result = search_passages(db, Filters(), text)
        assert result.total >= 0
    assert db.scalar("select count(*) from passage") == before
    assert db.scalar("select count(*) from document") == 1
