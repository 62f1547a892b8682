"""The held-out sets are text the models never saw: no sentence of theirs is in the
training data, apart from a few stock phrases two writers happened to use alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ieg_analysis.settings import REPO_ROOT

# written independently, found identical by this check, left in both (procedural lines, an
# alignment formula, a penalty formula, a report title): not worth rewording in either set
STOCK_PHRASES = {
    "the meeting was opened at 10.15 a.m.",
    "organization of the meeting; iii.",
    "our delegation aligns itself with the statement delivered on behalf of the regional group "
    "and would like to add a few remarks in its national capacity.",
    "la tentative est punie des mêmes peines.",
    "rapport d'évaluation des besoins.",
}


def _sentences(path: Path) -> set[str]:
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line)["text"]
            found |= {
                s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 30
            }
    return found


def test_the_held_out_sets_share_no_sentence_with_the_training_data() -> None:
    training: set[str] = set()
    for path in sorted((REPO_ROOT / "data" / "training").glob("*.jsonl")):
        training |= _sentences(path)
    held_out = sorted((REPO_ROOT / "data" / "evaluation").glob("heldout*.jsonl"))
    assert len(held_out) >= 3 and training
    for path in held_out:
        shared = _sentences(path) & training
        assert shared <= STOCK_PHRASES, f"{path.name} shares {sorted(shared - STOCK_PHRASES)}"
