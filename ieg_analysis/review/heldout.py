"""The held-out guard: a correction whose text is a held-out evaluation passage is refused,
so the held-out sets (every ``data/evaluation/heldout*.jsonl``) never reach training through
the corrections and their scores stay a measure of unseen text."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..errors import IEGError
from ..settings import DATA_DIR

HELDOUT_PATH = DATA_DIR / "evaluation"  # a folder: all its heldout*.jsonl files; or one file


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
    """The normalised texts of the held-out set(s) in ``path`` (a file, or a folder's
    ``heldout*.jsonl`` files); empty when there are none."""
    files = sorted(path.glob("heldout*.jsonl")) if path.is_dir() else [path]
    texts = set()
    for file in files:
        if not file.is_file():
            continue
        with file.open(encoding="utf-8") as handle:
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
