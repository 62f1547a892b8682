"""Every error a user can cause, defined once, each with one clear sentence.

The library raises these and never prints; the edges (CLI, pages) show ``str(error)``.
Anything else that escapes is an internal fault.
"""

from __future__ import annotations


class IEGError(Exception):
    """An error caused by the input or the request, not by a fault in the product."""


class InputFileError(IEGError):
    """A file that cannot be ingested, with the reason."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class UnknownCountryError(IEGError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean {_or_list(suggestions)}?" if suggestions else ""
        super().__init__(f"'{name}' is not a known State.{hint}")


class UnknownSubmitterError(IEGError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean {_or_list(suggestions)}?" if suggestions else ""
        super().__init__(
            f"'{name}' is neither a known State nor a registered observer.{hint} To register an "
            "observer, give its actor type (organization, private_sector, academia or unodc)."
        )


class UnknownMeetingError(IEGError):
    def __init__(self, meeting: object, known: list[int]) -> None:
        self.meeting = meeting
        super().__init__(
            f"Meeting '{meeting}' does not exist; the known meetings are "
            f"{', '.join(str(n) for n in known)}."
        )


class UnknownTopicError(IEGError):
    def __init__(self, topic: str, known: list[str]) -> None:
        super().__init__(f"'{topic}' is not a work-plan topic; use one of {', '.join(known)}.")


class InvalidValueError(IEGError):
    """A metadata value (kind, date, actor type, status...) that is not allowed."""


class ManifestError(IEGError):
    """A manifest CSV that cannot be read as a batch."""


class OutputPathError(IEGError):
    """An output file or folder path that cannot be used, in one sentence: refused before
    any work when a command checks it up front, or translated from the ``OSError`` the
    write raised."""

    SENTENCES = {
        "no_folder": "Cannot write {path}: the folder {folder} does not exist.",
        "is_folder": "Cannot write {path}: it is a folder; give a file name.",
        "file_in_path": "Cannot use {path}: part of its folder path is a file, not a folder.",
        "file_as_folder": "Cannot use {path} as a folder: it is a file.",
        "no_permission": "Cannot write {path}: permission denied.",
    }

    def __init__(self, problem: str, path: object) -> None:
        self.problem = problem
        folder = getattr(path, "parent", "")
        super().__init__(self.SENTENCES[problem].format(path=path, folder=folder))


class DatabaseBusyError(IEGError):
    def __init__(self, path: object) -> None:
        super().__init__(
            f"The database {path} is in use by another writer; try again when it has finished."
        )


class DatabaseUnreadableError(IEGError):
    """A database file DuckDB cannot open for another reason than a lock (damaged, not a
    DuckDB file, unreadable)."""

    def __init__(self, path: object, reason: str) -> None:
        if "not a valid DuckDB database" in reason:
            reason = "it is not a DuckDB database file (damaged, or a file of another kind)"
        # DuckDB's text can run to several lines: its first line, as one sentence
        reason = reason.strip().splitlines()[0] if reason.strip() else "unknown error"
        reason = reason.removeprefix("IO Error:").strip().rstrip(".!")
        super().__init__(f"The database {path} cannot be opened: {reason}.")


def _or_list(items: list[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


class NotAuthorisedError(IEGError):
    def __init__(self) -> None:
        super().__init__("Only a signed-in Secretariat user can change the data; sign in first.")
