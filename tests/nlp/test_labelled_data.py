"""The held-out sets are text the models never saw: no sentence of theirs is in the
training data, apart from a few stock phrases two writers happened to use alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ieg_analysis.ingest.segment import segment
from ieg_analysis.nlp import TOPICS
from ieg_analysis.nlp.data import read_passages
from ieg_analysis.records import Block
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


def _training_and_record(field: str) -> tuple[dict, list[dict]]:
    """The training files' ``field`` ("topics" or "capacity") by passage id, and the rows of
    the adjudication record of that field."""
    training = {}
    for path in sorted((REPO_ROOT / "data" / "training").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                training[row["id"]] = row[field]
    record = REPO_ROOT / "data" / "training" / "adjudication" / f"{field}.jsonl"
    rows = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    return training, rows


def test_the_training_topics_are_the_adjudicated_ones() -> None:
    """Where the writer and the out-of-fold model disagreed, a second reader decided: the
    training files carry, per topic, the majority of the three readings (data/training/
    GUIDELINES.md); the control passages (model and writer agreed) keep the writer's topics.
    A passage is read again at most once (rounds 2 and 3 read the disagreements left by the
    previous round that no reader had seen)."""
    training, rows = _training_and_record("topics")
    assert len(rows) > 3000 and sum(row["control"] for row in rows) >= 300
    assert len({row["id"] for row in rows}) == len(rows)
    changed = 0
    for row in rows:
        readings = (row["writer"], row["model"], row["second_reader"])
        if row["control"]:
            assert row["topics"] == row["writer"], row["id"]
        else:
            majority = {
                t for t in {*row["writer"], *row["model"]} if sum(t in r for r in readings) >= 2
            }
            assert row["topics"] == sorted(majority), row["id"]
            assert row["writer"] != row["model"], row["id"]  # only disagreements were read again
        assert training[row["id"]] == row["topics"], row["id"]
        changed += row["topics"] != row["writer"]
    assert changed > 1000


def test_the_capacity_reading_is_recorded_and_not_applied() -> None:
    """Two blind readers read, by the issue's literal definition (a State that lacks
    training, staff, equipment, expertise or funding has a need, asked for or not), the
    passages labelled none that describe a challenge or name a lack, with need and provision
    passages mixed in as controls. Training on the majority of the three readings scored lower
    on the held-out sets (data/training/GUIDELINES.md), so the training files keep the
    writers' labels: the record holds the readings and their majority for a later decision."""
    training, rows = _training_and_record("capacity")
    assert len(rows) > 1500 and len({row["id"] for row in rows}) == len(rows)
    labels = {"need", "provision", "none"}
    would_change = agreed = 0
    for row in rows:
        readings = [row["writer"], row["reader_a"], row["reader_b"]]
        assert set(readings) <= labels, row["id"]
        assert (row["writer"] != "none") == row["control"], row["id"]
        top = max(sorted(labels), key=readings.count)
        assert row["majority"] == (top if readings.count(top) >= 2 else row["writer"]), row["id"]
        assert training[row["id"]] == row["writer"], row["id"]
        would_change += row["majority"] != row["writer"]
        agreed += row["control"] and row["reader_a"] == row["writer"]
    assert 150 < would_change < 300 and agreed > 0.9 * sum(row["control"] for row in rows)


def test_the_second_reading_covers_each_held_out_passage_once() -> None:
    """... and each paragraph of the documents' diagnostic set, whose second reading also
    gives need / provision / none."""
    evaluation = REPO_ROOT / "data" / "evaluation"
    ids = set()
    for path in [*sorted(evaluation.glob("heldout*.jsonl")), evaluation / "documents.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ids.add((path.name, json.loads(line)["id"]))
    lines = (evaluation / "second_reading.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    keys = [(row["set"], row["id"]) for row in rows]
    assert len(keys) == len(set(keys)) and set(keys) == ids
    assert all(set(row["topics"]) <= set(TOPICS) for row in rows)
    documents = [row for row in rows if row["set"] == "documents.jsonl"]
    assert len(documents) > 600
    assert all(row["capacity"] in ("need", "provision", "none") for row in documents)


def test_the_documents_flag_as_headings_what_the_segmenter_makes_headings() -> None:
    """documents.jsonl is scored on the passages the product would make of its documents:
    the paragraphs the ingestion's segmenter turns into headings are flagged and left out."""
    path = REPO_ROOT / "data" / "evaluation" / "documents.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    documents: dict[str, list[dict]] = {}
    for row in rows:
        documents.setdefault(row["document"], []).append(row)
    flagged = 0
    for paragraphs in documents.values():
        blocks = [b for row in paragraphs for b in (Block(row["text"]), Block(""))]
        bodies = [p.text for p in segment(blocks, default_language=paragraphs[0]["lang"])]
        kept = [row for row in paragraphs if not row["heading"]]
        assert len(bodies) == len(kept), paragraphs[0]["document"]
        for body, row in zip(bodies, kept, strict=True):
            assert row["text"].endswith(body), row["id"]
        flagged += len(paragraphs) - len(kept)
    assert 100 < flagged < len(rows) // 2
    assert len(read_passages(path)) == len(rows) - flagged
    assert len(read_passages(path, headings=True)) == len(rows)


def test_the_capacity_model_leaves_out_exactly_the_document_passages() -> None:
    """The passages cut from whole documents (their rows name the ``document``) train the
    topics only: their readers' capacity convention is not the other writers'."""
    from spacy.util import load_config

    documents = set()
    for path in sorted((REPO_ROOT / "data" / "training").glob("*.jsonl")):
        first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        if "document" in first:
            documents.add(path.stem)
    config = load_config(REPO_ROOT / "configs" / "capacity.cfg", interpolate=True)
    assert len(documents) >= 4
    assert set(config["corpora"]["train"]["exclude_sources"]) == documents
    assert set(config["corpora"]["dev"]["exclude_sources"]) == documents
    topics = load_config(REPO_ROOT / "configs" / "topics.cfg", interpolate=True)
    assert not topics["corpora"]["train"]["exclude_sources"]
