"""The read gateway: every query goes through :meth:`Database.query`, with bound parameters,
a time limit and a row cap. Connections are short-lived and opened lazily, never at import,
and each passes the database's readers-writer gate (``gate.py``) first, so a reader waits out
a writer's short transaction instead of failing on DuckDB's file lock.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import DatabaseBusyError, IEGError
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
    ) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self.row_cap = row_cap
        self.busy_wait_s = busy_wait_s  # how long a reader or writer waits for the gate

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
        return gate(self.path, exclusive=write, wait_s=self.busy_wait_s)

    def _open(self) -> duckdb.DuckDBPyConnection:
        """A raw connection. Inside the gate DuckDB's own file lock is rarely met (a process
        outside the gate, or one whose last connection is still closing): wait it out with
        back-off up to ``busy_wait_s``."""
        delay, deadline = 0.01, time.monotonic() + self.busy_wait_s
        while True:
            try:
                with _INSTANCE_LOCK:
                    con = duckdb.connect(str(self.path))
                break
            except duckdb.IOException as error:
                if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                    raise DatabaseBusyError(self.path) from error
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
        extension = fts_extension_path()
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
        with self.connect() as con:
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
        with self.connect() as con:
            row = con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]
