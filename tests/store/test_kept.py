"""The kept read connection: reused across queries, and out of the way of other processes
(a writer waiting at the gate, a reader waiting for DuckDB's file lock) and of this
process's writers."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
import warnings

import pytest

from ieg_analysis.store import db as store_db
from ieg_analysis.store import gate as gates
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


@pytest.mark.parametrize("probe", ["writer_waiting", "reader_waiting", "wanting"])
def test_a_process_forked_during_a_probe_keeps_no_lock(tmp_path, monkeypatch, probe) -> None:
    """The kept connection's watcher probes the gate's files every 50 ms, and classification
    forks its workers: a fork while a probe held its lock gave the child a copy of the
    descriptor, so closing the parent's copy left the lock with the child, and the parent's
    next writer waited it out and failed with "in use by another writer"."""
    path = tmp_path / "fork.duckdb"
    real_flock, children, me = gates.fcntl.flock, [], threading.get_ident()

    def flock_then_fork(fd: int, operation: int) -> None:
        real_flock(fd, operation)
        mine = threading.get_ident() == me and os.readlink(f"/proc/self/fd/{fd}").startswith(
            str(tmp_path)
        )  # not a kept connection's watcher left by another test
        if mine and not operation & fcntl.LOCK_UN and not children:
            with warnings.catch_warnings():  # pytest's threads: the child only sleeps
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
            if pid == 0:
                try:
                    time.sleep(60)
                finally:  # never unwind into the forked copy of pytest
                    os._exit(0)
            children.append(pid)

    monkeypatch.setattr(gates.fcntl, "flock", flock_then_fork)
    try:
        if probe == "wanting":
            with gates.wanting(path):
                pass
        else:
            getattr(gates, probe)(path)
        monkeypatch.undo()
        assert children, "the probe took no lock"
        assert not gates.reader_waiting(path)
        with gates.gate(path, exclusive=True, wait_s=0.5):
            pass
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
