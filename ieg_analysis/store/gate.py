"""A readers-writer gate across threads and processes, so that readers never meet DuckDB's
file lock and a writer is never starved.

DuckDB lets one process hold a database file; a second process cannot open it, even
read-only, while the first has it open. So every connection, read or write, passes this gate
first: readers share it, a writer has it alone, and a writer that is waiting stops new readers
from coming in (its turn comes after the readers already inside finish). Both locks are
``flock`` locks on two small files beside the database: they belong to one open file (so
threads of one process exclude each other too) and vanish with a killed process, so a crash
never leaves the database locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import DatabaseBusyError

_held = threading.local()


def _lock(path: Path, mode: int, deadline: float, db_path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    delay = 0.002
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise DatabaseBusyError(db_path) from None
            time.sleep(delay)
            delay = min(delay * 1.5, 0.05)


def _unlock(fd: int) -> None:
    """Release and close. The explicit release matters: a process forked while ``fd`` was
    open holds a copy of it, and closing only this copy would leave the lock with the
    child for its whole life (a fork during a probe kept the turn shared, so the parent's
    next writer timed out with "in use by another writer")."""
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def holding(db_path: Path) -> bool:
    """Whether this thread is inside the gate of ``db_path`` (reading or writing)."""
    modes = getattr(_held, "modes", None) or {}
    return str(Path(db_path).resolve()) in modes


def enter_shared(db_path: Path, *, wait_s: float) -> int:
    """Enter the gate of ``db_path`` as a reader for longer than one query (a kept read
    connection): returns the descriptor of the shared lock; ``_unlock`` it to leave. The
    caller must leave as soon as :func:`writer_waiting` says so."""
    key = str(Path(db_path).resolve())
    deadline = time.monotonic() + wait_s
    turn = _lock(Path(key + ".turn"), fcntl.LOCK_SH, deadline, db_path)
    try:
        return _lock(Path(key + ".lock"), fcntl.LOCK_SH, deadline, db_path)
    finally:
        _unlock(turn)


def leave(fd: int) -> None:
    _unlock(fd)


def _taken(path: Path, mode: int) -> bool:
    """Whether ``mode`` could be taken on ``path`` now; a probe that holds nothing after."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    _unlock(fd)
    return True


def writer_waiting(db_path: Path) -> bool:
    """Whether a writer holds the turn (it waits for the readers inside, or writes)."""
    return not _taken(Path(str(Path(db_path).resolve()) + ".turn"), fcntl.LOCK_SH)


def reader_waiting(db_path: Path) -> bool:
    """Whether a connection of another process waits for DuckDB's own file lock (which
    a kept connection of this process holds): it holds the ".want" file shared meanwhile."""
    return not _taken(Path(str(Path(db_path).resolve()) + ".want"), fcntl.LOCK_EX)


@contextlib.contextmanager
def wanting(db_path: Path) -> Iterator[None]:
    """Say, while waiting for DuckDB's file lock, that this process wants the file."""
    key = str(Path(db_path).resolve())
    fd = os.open(key + ".want", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except BaseException:
        os.close(fd)
        raise
    try:
        yield
    finally:
        _unlock(fd)


@contextlib.contextmanager
def gate(db_path: Path, *, exclusive: bool, wait_s: float) -> Iterator[None]:
    """Hold the gate of ``db_path``: shared for reading, alone for writing. A thread already
    inside (a read during its own write) passes straight through."""
    key = str(Path(db_path).resolve())
    modes = getattr(_held, "modes", None)
    if modes is None:
        modes = _held.modes = {}
    held = modes.get(key)
    if held is not None and (held or not exclusive):
        yield
        return
    if held is not None:  # a thread reading cannot upgrade to writing: that would deadlock
        raise RuntimeError("a write was started inside a read of the same database")
    deadline = time.monotonic() + wait_s
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    turn = _lock(Path(key + ".turn"), mode, deadline, db_path)
    try:
        fd = _lock(Path(key + ".lock"), mode, deadline, db_path)
    except BaseException:
        _unlock(turn)
        raise
    if not exclusive:
        _unlock(turn)
    modes[key] = exclusive
    try:
        yield
    finally:
        del modes[key]
        _unlock(fd)
        if exclusive:
            _unlock(turn)
