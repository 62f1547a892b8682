"""Versioned migrations: ``migrations/NNN_name.sql`` files applied in order, once each."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in MIGRATIONS_DIR.glob("*.sql"):
        match = re.match(r"(\d+)_", path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def latest_version() -> int:
    return migrations()[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        "create table if not exists schema_version "
        "(version integer primary key, applied_at timestamp default current_timestamp)"
    )
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the pending migrations, each in its own transaction; return their versions."""
    applied = []
    version = current_version(con)
    for number, path in migrations():
        if number <= version:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_version (version) values (?)", [number])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(number)
    return applied
