"""The kept read connection: reused across queries, and out of the way of other processes
(a writer waiting at the gate, a reader waiting for DuckDB's file lock) and of this
process's writers."""

from __future__ import annotations

import subprocess
import sys
import time

from ieg_analysis.store import db as store_db
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer

OTHER_PROCESS = """
import sys, time
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
db = Database(sys.argv[1], keep_s=0)
started = time.monotonic()
if sys.argv[2] == "write":
    with Writer(db) as writer:
        writer.set_meta("other", "process")
else:
    db.query("select count(*) from meta")
print(round(time.monotonic() - started, 3))
"""


def _kept(db: Database):
    return store_db._KEPT.get(db.path.resolve())


def test_queries_share_one_kept_connection(db: Database) -> None:
    db.initialise()
    db.query("select 1")
    first = _kept(db)
    assert first is not None
    db.query("select 2")
    assert _kept(db) is first
    with Writer(db) as writer:  # a writer of this process closes it first
        assert _kept(db) is None
        writer.set_meta("x", "1")
        assert db.query("select value from meta where key = 'x'")["value"].item() == "1"
    db.query("select 3")
    assert _kept(db) is not None and _kept(db) is not first


def test_it_closes_when_idle(tmp_path) -> None:
    db = Database(tmp_path / "idle.duckdb", keep_s=0.2)
    db.initialise()
    db.query("select 1")
    assert _kept(db) is not None
    deadline = time.monotonic() + 5
    while _kept(db) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _kept(db) is None


def test_another_process_can_write_and_read_while_it_is_open(db: Database) -> None:
    db.initialise()
    db.query("select 1")
    assert _kept(db) is not None
    for mode in ("write", "read"):
        db.query("select 1")  # open again
        done = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS, str(db.path), mode],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert float(done.stdout.strip()) < 30  # well before the kept connection's idle close
    assert db.query("select value from meta where key = 'other'")["value"].item() == "process"
