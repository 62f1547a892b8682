"""Crash safety: the ingest process is killed (SIGKILL) at random points of a batch; after each
kill the database opens and holds whole documents only, and running the batch again completes
it without duplicates."""

from __future__ import annotations

import random
import subprocess
import time

import pytest

from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.reliability.batch import cli, cli_env, integrity, run_cli, write_batch


def _kill_rounds(tmp_path, reference, *, kills: int, batch: int, seed: int) -> dict:
    rng = random.Random(seed)
    db_path = tmp_path / "crash.duckdb"
    with Writer(Database(db_path)) as writer:
        writer.sync_reference(reference)
    manifest = write_batch(tmp_path / "batch", batch, paragraphs=25)
    survived = completed_early = 0
    for _ in range(kills):
        process = subprocess.Popen(
            cli(db_path, "ingest", "--manifest", str(manifest)),
            env=cli_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(1.0, 6.0))  # the interpreter starts in ~1-3 s here
        if process.poll() is None:
            process.kill()
        else:
            completed_early += 1
        process.wait()
        stored, broken = integrity(db_path)  # the database opens; whole documents only
        assert broken == 0, f"partial or duplicate documents after a kill: {broken}"
        survived += 1
        if stored == batch:  # the batch finished: start it over on an empty store
            Database(db_path).path.unlink()
            with Writer(Database(db_path)) as writer:
                writer.sync_reference(reference)
    finish = run_cli(db_path, "ingest", "--manifest", str(manifest))
    assert finish.returncode == 0, finish.stdout + finish.stderr
    assert integrity(db_path) == (batch, 0)  # complete, no duplicates, nothing partial
    rerun = run_cli(db_path, "ingest", "--manifest", str(manifest))
    assert rerun.returncode == 0 and f"{batch} already present" in rerun.stdout
    search = Database(db_path).scalar(
        "select count(*) from passage where fts_main_passage.match_bm25(id, 'evidence') is not null"
    )
    assert search > 0  # the search index is whole too
    return {"kills": survived, "finished_before_kill": completed_early}


def test_a_handful_of_kills_leave_whole_documents(tmp_path, reference) -> None:
    result = _kill_rounds(tmp_path, reference, kills=4, batch=10, seed=7)
    print(f"\nSIGKILL: {result}")


@pytest.mark.stress
def test_many_kills_leave_whole_documents(tmp_path, reference) -> None:
    result = _kill_rounds(tmp_path, reference, kills=40, batch=14, seed=2021)
    print(f"\nSIGKILL (stress): {result}")
