"""One settings object, read from the environment and `.streamlit/secrets.toml`.

Precedence: environment variable, then the `[ieg]` table of `.streamlit/secrets.toml`,
then the default that makes a fresh checkout work.

| setting | environment | default |
| --- | --- | --- |
| db_path | IEG_DB | data/ieg.duckdb |
| model_dir | IEG_MODEL_DIR | models/ |
| max_upload_mb | IEG_MAX_UPLOAD_MB | 50 |
| max_passages_per_document | IEG_MAX_PASSAGES | 5000 |
| max_chars_per_document | IEG_MAX_CHARS | 2000000 |
| query_timeout_s | IEG_QUERY_TIMEOUT_S | 20 |
| query_row_cap | IEG_QUERY_ROW_CAP | 200000 |
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import IEGError

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"


@dataclass(frozen=True)
class Settings:
    db_path: Path
    model_dir: Path
    max_upload_mb: int = 50
    max_passages_per_document: int = 5000
    max_chars_per_document: int = 2_000_000
    query_timeout_s: float = 20.0
    query_row_cap: int = 200_000

    def with_db(self, db_path: str | Path | None) -> Settings:
        """The same settings with another database file (``None`` keeps this one)."""
        return self if db_path is None else replace(self, db_path=Path(db_path))


_ENV = {
    "db_path": ("IEG_DB", Path),
    "model_dir": ("IEG_MODEL_DIR", Path),
    "max_upload_mb": ("IEG_MAX_UPLOAD_MB", int),
    "max_passages_per_document": ("IEG_MAX_PASSAGES", int),
    "max_chars_per_document": ("IEG_MAX_CHARS", int),
    "query_timeout_s": ("IEG_QUERY_TIMEOUT_S", float),
    "query_row_cap": ("IEG_QUERY_ROW_CAP", int),
}


def _secrets(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle).get("ieg", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return table if isinstance(table, dict) else {}


class SettingsError(IEGError):
    """A setting (environment variable or secrets.toml) with a value that cannot be used."""


_LARGEST = 2**31 - 1  # beyond any sensible limit, and what a timer or a query can take


def _cast(name: str, cast: type, raw: object) -> object:
    """``raw`` as ``cast``; a number must be above 0 and at most 2,147,483,647. ``name``
    says where the value was written (the variable, or the key of secrets.toml)."""
    if cast is Path:
        return Path(str(raw))
    what = "a positive integer" if cast is int else "a positive number"
    try:
        value = cast(str(raw).strip())
    except (ValueError, OverflowError):
        value = None
    if value is None or not math.isfinite(value) or not 0 < value <= _LARGEST:
        raise SettingsError(f"The setting {name} is '{raw}'; it must be {what} up to {_LARGEST:,}.")
    return value


def load_settings(*, environ: dict[str, str] | None = None, root: Path = REPO_ROOT) -> Settings:
    """Read the settings; a relative path is taken relative to the repository root."""
    env = os.environ if environ is None else environ
    secrets = _secrets(root / ".streamlit" / "secrets.toml")
    values: dict = {"db_path": DATA_DIR / "ieg.duckdb", "model_dir": REPO_ROOT / "models"}
    for field, (variable, cast) in _ENV.items():
        raw, name = env.get(variable), variable
        if raw in (None, ""):
            raw, name = secrets.get(field), f"{field} in .streamlit/secrets.toml"
        if raw not in (None, ""):
            values[field] = _cast(name, cast, raw)
    for field in ("db_path", "model_dir"):
        path = Path(values[field]).expanduser()
        values[field] = path if path.is_absolute() else root / path
    return Settings(**values)
