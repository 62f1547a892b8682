"""The read gateway: every query goes through :meth:`Database.query`, with bound parameters,
a time limit and a row cap. Connections are opened lazily, never at import, and each passes
the database's readers-writer gate (``gate.py``) first, so a reader waits out a writer's
short transaction instead of failing on DuckDB's file lock.

Opening a DuckDB file and loading the full-text-search extension costs about 100 ms, more
than most queries, so reads share one *kept* connection per process and database (a cursor
per query, since a DuckDB connection is not thread-safe). It holds the gate as a reader
while it is open, and is closed as soon as it is idle and a writer waits (a writer of any
process holds the gate's turn while it waits, and a reader of another process that meets
DuckDB's file lock says so in a ".want" file: the kept connection polls both), after ``keep_s``
seconds without a query, or before a writer of this process enters the gate.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import DatabaseBusyError, DatabaseUnreadableError, IEGError
from . import gate as gates
from .gate import gate
from .schema import latest_version, migrate

# Opening and closing connections is serialised within a process: DuckDB shares one instance
# per file among a process's connections, and a connect racing the close of the last one fails
# ("Unique file handle conflict ... already attached").
_INSTANCE_LOCK = threading.Lock()


def fts_extension_path() -> Path | None:
    """The full-text-search extension shipped by the ``duckdb-extension-fts`` package."""
    try:
        import duckdb_extension_fts
    except ImportError:
        return None
    path = (
        Path(duckdb_extension_fts.__file__).parent
        / "extensions"
        / f"v{duckdb.__version__}"
        / "fts.duckdb_extension"
    )
    return path if path.is_file() else None


class _KeptConnection:
    """One open read connection to a database, shared by the threads of this process, each
    query on a cursor of its own. Holds the gate as a reader until closed."""

    POLL_S = 0.05  # how often an open kept connection checks for a waiting writer

    def __init__(self, db: Database) -> None:
        self.path = db.path
        self.keep_s = db.keep_s
        self.lock = threading.Lock()
        self.users = 0
        self.closed = False
        self.last_used = time.monotonic()
        self.fd = gates.enter_shared(db.path, wait_s=db.busy_wait_s)
        try:
            self.con = db._open(fts=True)
        except BaseException:
            gates.leave(self.fd)
            raise
        self.idle: list[duckdb.DuckDBPyConnection] = []
        self.cursors: list[duckdb.DuckDBPyConnection] = []
        threading.Thread(target=self._watch, name="ieg-kept-connection", daemon=True).start()

    def acquire(self) -> duckdb.DuckDBPyConnection | None:
        """A cursor for one query, or None when closed or a writer waits (the caller then
        takes the gate like any short-lived reader, and so lets the writer in first)."""
        with self.lock:
            if self.closed:
                return None
            self.users += 1
        if gates.writer_waiting(self.path) or gates.reader_waiting(self.path):
            self.release(None)
            return None
        with self.lock:
            if self.idle:
                return self.idle.pop()
            with _INSTANCE_LOCK:
                cursor = self.con.cursor()
            self.cursors.append(cursor)
            return cursor

    def release(self, cursor: duckdb.DuckDBPyConnection | None) -> None:
        with self.lock:
            self.users -= 1
            self.last_used = time.monotonic()
            if cursor is not None:
                self.idle.append(cursor)
        if gates.writer_waiting(self.path) or gates.reader_waiting(self.path):
            self.close_if_idle()

    def close_if_idle(self) -> bool:
        """Close when no query runs; whether it is closed now."""
        with self.lock:
            if self.closed:
                return True
            if self.users:
                return False
            self.closed = True
            try:
                with _INSTANCE_LOCK:
                    for cursor in self.cursors:
                        cursor.close()
                    self.con.close()
            finally:  # a failed close must not keep the gate shared (no writer could enter)
                self.cursors.clear()
                self.idle.clear()
                gates.leave(self.fd)
        with _KEPT_LOCK:
            if _KEPT.get(self.path) is self:
                del _KEPT[self.path]
        return True

    def _watch(self) -> None:
        while True:
            time.sleep(self.POLL_S)
            with self.lock:
                if self.closed:
                    return
                idle_s = time.monotonic() - self.last_used if not self.users else 0.0
            wanted = gates.writer_waiting(self.path) or gates.reader_waiting(self.path)
            if (idle_s >= self.keep_s or wanted) and self.close_if_idle():
                return


# the kept read connection of each database (by resolved path) in this process
_KEPT: dict[Path, _KeptConnection] = {}
_KEPT_LOCK = threading.Lock()


def _forget_in_child() -> None:
    """A forked child does not inherit the kept connections: it drops its copies of their
    lock descriptors (the parent's stay locked) and never touches their DuckDB handles."""
    for connection in _KEPT.values():
        with contextlib.suppress(OSError):
            os.close(connection.fd)
        _ORPHANS.append(connection)  # never collected: closing it here could touch the file
    _KEPT.clear()


_ORPHANS: list[_KeptConnection] = []


os.register_at_fork(after_in_child=_forget_in_child)


def close_kept_connections(path: str | Path | None = None) -> None:
    """Close this process's kept read connections (of one database, or all), waiting for
    the queries running on them."""
    with _KEPT_LOCK:
        kept = [k for p, k in _KEPT.items() if path is None or p == Path(path).resolve()]
    for connection in kept:
        while not connection.close_if_idle():
            time.sleep(0.005)


atexit.register(lambda: close_kept_connections())  # DuckDB must not be torn down at exit


# DuckDB's "Could not set lock on file ...: Conflicting lock is held": the word, not "block"
# as in a checksum error on a damaged block
_LOCK_ERROR = re.compile(r"\block\b", re.IGNORECASE)

MEMORY_LIMIT = "1GB"  # DuckDB's memory limit per process (see Database._open)


class QueryTimeoutError(IEGError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"The query took longer than {seconds:g} s and was stopped.")


class Database:
    """One DuckDB file. Reads go through :meth:`query`; writes through ``writer.Writer``."""

    def __init__(
        self,
        path: str | Path,
        *,
        timeout_s: float = 20.0,
        row_cap: int = 200_000,
        busy_wait_s: float = 60.0,
        keep_s: float = 30.0,
    ) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        self.busy_wait_s = busy_wait_s  # how long a reader or writer waits for the gate
        self.keep_s = keep_s  # how long an idle kept read connection stays open (0: never)

    def exists(self) -> bool:
        return self.path.is_file() and self.path.stat().st_size > 0

    @contextlib.contextmanager
    def connect(self, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection with the full-text-search extension loaded, inside the
        gate: shared with other readers, or alone (``write=True``)."""
        with self.gate(write=write):
            con = self._open()
            try:
                yield con
            finally:
                self._close(con)

    def gate(self, *, write: bool) -> contextlib.AbstractContextManager[None]:
        if write and not gates.holding(self.path):
            close_kept_connections(self.path)  # this process's readers would block the writer
        return gate(self.path, exclusive=write, wait_s=self.busy_wait_s)

    @contextlib.contextmanager
    def _reader(self, sql: str) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one read: a cursor of the kept connection where it can be used,
        else a short-lived connection inside the gate."""
        kept = cursor = None
        if self.keep_s > 0 and not gates.holding(self.path) and self.exists():
            key = self.path.resolve()
            with _KEPT_LOCK:
                kept = _KEPT.get(key)
            if kept is None and not gates.writer_waiting(self.path):
                opened = _KeptConnection(self)
                with _KEPT_LOCK:
                    kept = _KEPT.setdefault(key, opened)
                if kept is not opened:  # another thread was faster
                    opened.close_if_idle()
            cursor = kept.acquire() if kept is not None else None
        if cursor is None:
            with self.gate(write=False):
                con = self._open(fts="fts_main" in sql)
                try:
                    yield con
                finally:
                    self._close(con)
            return
        try:
            yield cursor
        finally:
            kept.release(cursor)

    def _open(self, *, fts: bool = True) -> duckdb.DuckDBPyConnection:
        """A raw connection. Inside the gate DuckDB's own file lock is rarely met (a process
        outside the gate, or one whose last connection is still closing): wait it out with
        back-off up to ``busy_wait_s``."""
        delay, deadline = 0.01, time.monotonic() + self.busy_wait_s
        with contextlib.ExitStack() as waiting:
            while True:
                try:
                    with _INSTANCE_LOCK:
                        con = duckdb.connect(str(self.path))
                    break
                except duckdb.IOException as error:
                    if not _LOCK_ERROR.search(str(error)):  # damaged, not DuckDB, unreadable
                        raise DatabaseUnreadableError(self.path, str(error)) from error
                    if time.monotonic() >= deadline:
                        raise DatabaseBusyError(self.path) from error
                    if delay == 0.01:  # another process's kept connection: ask it to close
                        waiting.enter_context(gates.wanting(self.path))
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
        # DuckDB's buffer pool may grow to 80 % of the machine's memory and, with a kept
        # connection, stays that big: cap it (larger work spills to a temp folder beside
        # the database). At a million passages a full rebuild of the search index and the
        # facts peaks at 1.3 GB of RSS with this limit (3.3 GB without) and runs faster.
        con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        extension = fts_extension_path() if fts else None
        if extension is not None:
            con.execute(f"LOAD '{extension.as_posix()}'")
        return con

    @staticmethod
    def _close(con: duckdb.DuckDBPyConnection) -> None:
        with _INSTANCE_LOCK:
            con.close()

    def initialise(self) -> list[int]:
        """Create the file if needed and apply pending migrations."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect(write=True) as con:
            return migrate(con)

    def is_current(self) -> bool:
        if not self.exists():
            return False
        try:
            version = self.scalar("select coalesce(max(version), 0) from schema_version")
        except duckdb.Error:
            return False
        return version == latest_version()

    def query(self, sql: str, params: Sequence | dict | None = None) -> pd.DataFrame:
        """Run one read query with bound parameters; stop it after the time limit and
        return at most ``row_cap`` rows."""
        with self._reader(sql) as con:
            timer = threading.Timer(self.timeout_s, con.interrupt)
            timer.start()
            try:
                result = con.execute(sql, params or [])
                reader = result.to_arrow_reader(min(self.row_cap, 100_000))
                batches, rows = [], 0
                for batch in reader:
                    batches.append(batch)
                    rows += batch.num_rows
                    if rows >= self.row_cap:
                        break
                if batches:
                    frame = pd.concat([b.to_pandas() for b in batches], ignore_index=True)
                else:
                    frame = reader.schema.empty_table().to_pandas()
                reader.close()  # nothing may keep the database open once the connection closes
                del reader, result, batches
            except duckdb.InterruptException as error:
                raise QueryTimeoutError(self.timeout_s) from error
            finally:
                timer.cancel()
        return frame.head(self.row_cap)

    def scalar(self, sql: str, params: Sequence | dict | None = None) -> object:
        with self._reader(sql) as con:
            row = con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]
