from __future__ import annotations

from tests.pages.conftest import small_db  # noqa: F401  (the same small labelled database)
