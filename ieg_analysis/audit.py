"""Who is writing: the names the audit log records for each write."""

from __future__ import annotations

import getpass

ACTIONS = (
    "add_document",
    "delete_document",
    "relabel",
    "confirm_labels",
    "retrain",
    "consolidation_accept",
    "consolidation_split",
    "consolidation_merge",
)


def local_operator() -> str:
    """The CLI writes as the local operator: the operating-system account running it."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "unknown"
    return f"local operator ({account}, command line)"
