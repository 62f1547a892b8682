"""The dashboard keeps answering while another process ingests: several sessions query in
threads during a CLI batch; none sees an error, and every document arrives whole."""

from __future__ import annotations

import subprocess
import threading
import time

from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.reliability.batch import cli, cli_env, integrity, write_batch

SESSIONS = 6
BATCH = 60  # more than two writer chunks (CHUNK_DOCUMENTS), so readers get in between


def test_sessions_keep_answering_while_another_process_ingests(tmp_path, reference) -> None:
    db_path = tmp_path / "live.duckdb"
    with Writer(Database(db_path)) as writer:
        writer.sync_reference(reference)
    manifest = write_batch(tmp_path / "batch", BATCH, paragraphs=30)
    errors: list[str] = []
    served = [0] * SESSIONS
    slowest = [0.0] * SESSIONS
    seen_counts: list[list[int]] = [[] for _ in range(SESSIONS)]
    done = threading.Event()

    def session(i: int) -> None:
        db = Database(db_path, busy_wait_s=30)
        while not done.is_set():
            started = time.perf_counter()
            try:
                n = int(db.scalar("select count(*) from document"))
                db.query(
                    "select actor_name, count(*) as n from v_passage where text like ? group by 1",
                    ["%evidence%"],
                )
            except Exception as error:  # any failure is a user-visible error
                errors.append(f"{type(error).__name__}: {error}")
                continue
            slowest[i] = max(slowest[i], time.perf_counter() - started)
            served[i] += 1
            seen_counts[i].append(n)
            time.sleep(0.05)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    process = subprocess.run(
        cli(db_path, "ingest", "--manifest", str(manifest)),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    elapsed = time.perf_counter() - started
    time.sleep(0.3)
    done.set()
    for thread in threads:
        thread.join()
    print(
        f"\n{SESSIONS} sessions served {sum(served)} queries during a {BATCH}-file ingest of "
        f"{elapsed:.1f} s; slowest answer {max(slowest):.2f} s; errors {len(errors)}"
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert errors == []
    assert all(n >= 5 for n in served)
    for counts in seen_counts:  # each session saw the documents arrive, never go back
        assert counts == sorted(counts)
    assert max(c[-1] for c in seen_counts) == BATCH  # new data shown after the commit
    assert integrity(db_path) == (BATCH, 0)
