"""Errors of the NLP layer a user can cause, each with one clear sentence."""

from __future__ import annotations

from ..errors import IEGError
from . import CAPACITY_LABELS, LANGUAGES, TOPICS


class UnknownLabelError(IEGError):
    def __init__(self, label: str) -> None:
        super().__init__(
            f"'{label}' is not a label; use a topic ({', '.join(TOPICS)}) or a capacity "
            f"label ({', '.join(CAPACITY_LABELS)})."
        )


class UnsupportedLanguageError(IEGError):
    def __init__(self, language: str) -> None:
        super().__init__(
            f"There is no model for language '{language}'; the models cover {', '.join(LANGUAGES)}."
        )


class InputLinesError(IEGError):
    """A JSONL input for classify-text that cannot be read."""
