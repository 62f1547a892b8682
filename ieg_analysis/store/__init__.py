"""The DuckDB store: schema and migrations (``schema``), the read gateway (``db``) and the
only module that writes (``writer``)."""

from .db import Database

__all__ = ["Database"]
