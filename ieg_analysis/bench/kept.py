"""The read gateway with one kept connection: ``Database.query`` unchanged (bound
parameters, time limit, row cap) but the connection opened once and reused, instead of
opened, extension-loaded and closed per query. Used by the benchmark to measure what the
gateway's per-query connection costs; not a product path (it ignores the writer gate)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

from ..store.db import Database


class KeptConnection(Database):
    """Reads only; ``close()`` when done."""

    _con: duckdb.DuckDBPyConnection | None = None

    @contextlib.contextmanager
    def connect(self, *, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if write:
            raise RuntimeError("KeptConnection is for reads only")
        if self._con is None:
            self._con = self._open()
        yield self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
