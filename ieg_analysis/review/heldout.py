"""The held-out guard: a correction whose text is a held-out evaluation passage is refused,
so the held-out set (``data/evaluation/heldout.jsonl``) never reaches training through the
corrections and its scores stay a measure of unseen text."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..errors import IEGError
from ..settings import DATA_DIR

HELDOUT_PATH = DATA_DIR / "evaluation" / "heldout.jsonl"


class HeldOutTextError(IEGError):
    def __init__(self) -> None:
        super().__init__(
            "This passage's text is in the held-out evaluation set, which must never be "
            "trained on; it cannot be corrected here."
        )


def normalise_text(text: str) -> str:
    """Text compared whitespace- and case-insensitively."""
    return " ".join(str(text).split()).casefold()


@functools.lru_cache(maxsize=4)
def heldout_texts(path: Path = HELDOUT_PATH) -> frozenset[str]:
    """The normalised texts of the held-out set (empty when the file is absent)."""
    if not path.is_file():
        return frozenset()
    texts = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.add(normalise_text(json.loads(line)["text"]))
    return frozenset(texts)


def is_heldout(text: str, *, path: Path = HELDOUT_PATH) -> bool:
    return normalise_text(text) in heldout_texts(path)


def check_not_heldout(text: str, *, path: Path = HELDOUT_PATH) -> None:
    """Refuse (:class:`HeldOutTextError`) a text of the held-out set."""
    if is_heldout(text, path=path):
        raise HeldOutTextError()
