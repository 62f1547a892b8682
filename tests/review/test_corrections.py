"""Corrections are stored apart from the model's output and win in v_passage, in counts,
and over any later model version; only a named user may make one; never a held-out text."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ieg_analysis.analytics.capacity import capacity_totals
from ieg_analysis.analytics.filters import Filters
from ieg_analysis.analytics.topics import topic_distribution
from ieg_analysis.errors import InvalidValueError, NotAuthorisedError
from ieg_analysis.records import CORRECTION_GENRE
from ieg_analysis.review.corrections import correct_labels, corrections, training_passages
from ieg_analysis.review.heldout import HELDOUT_PATH, HeldOutTextError, is_heldout
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer
from tests.factories import fake_classify


def _passage(db: Database, like: str) -> int:
    return int(db.scalar("select id from passage where text like ?", [f"%{like}%"]))


def _labels(db: Database, passage_id: int) -> tuple:
    row = db.query(
        "select topic, topic_labels, capacity_label, corrected from v_passage where passage_id = ?",
        [passage_id],
    ).iloc[0]
    topic = None if pd.isna(row["topic"]) else row["topic"]
    return topic, list(row["topic_labels"]), row["capacity_label"], bool(row["corrected"])


def test_a_correction_wins_in_v_passage_and_the_latest_one_wins(small_db: Path) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    assert _labels(db, need) == ("electronic_evidence", ["electronic_evidence"], "need", False)
    correct_labels(db, need, topics=["law_enforcement"], capacity="provision", user="alice")
    assert _labels(db, need) == ("law_enforcement", ["law_enforcement"], "provision", True)
    correct_labels(
        db, need, topics=["electronic_evidence", "law_enforcement"], capacity="none", user="bob"
    )
    # the main topic among several is the model's own when chosen
    assert _labels(db, need) == (
        "electronic_evidence",
        ["law_enforcement", "electronic_evidence"],
        "none",
        True,
    )
    # the model's rows are untouched
    model = db.query(
        "select capacity_label from passage_classification where passage_id = ?", [need]
    )
    assert model["capacity_label"].tolist() == ["need"]


def test_a_correction_changes_the_counts_of_the_analytics(small_db: Path) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    before = capacity_totals(db, Filters())
    topics_before = topic_distribution(db, Filters()).groupby("topic")["passages"].sum()
    correct_labels(db, need, topics=["prevention"], capacity="none", user="alice")
    after = capacity_totals(db, Filters())
    topics_after = topic_distribution(db, Filters()).groupby("topic")["passages"].sum()
    assert after["need_passages"] == before["need_passages"] - 1
    assert topics_after["prevention"] == topics_before["prevention"] + 1
    assert topics_after.get("electronic_evidence", 0) == topics_before["electronic_evidence"] - 1


def test_a_correction_outlives_a_new_model_version(small_db: Path) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    correct_labels(db, need, topics=[], capacity="none", user="alice")
    fake_classify(db, version="test-2")  # a retrained model labels everything again
    assert _labels(db, need) == (None, [], "none", True)


def test_corrections_are_audited_with_before_and_after(small_db: Path) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    correct_labels(db, need, topics=["electronic_evidence"], capacity="need", user="alice")
    correct_labels(db, need, topics=[], capacity="none", user="bob", note="no topic")
    log = db.query("select user_name, action, target, detail from audit_log order by id")
    assert log["action"].tolist()[-2:] == ["confirm_labels", "relabel"]
    assert log["target"].iloc[-1] == f"passage {need}"
    assert "capacity need -> none; no topic" in log["detail"].iloc[-1]
    stored = corrections(db)
    assert stored["user_name"].tolist() == ["bob", "alice"]
    assert list(stored["before_topics"].iloc[0]) == ["electronic_evidence"]
    assert stored["after_capacity"].tolist() == ["none", "need"]
    assert stored["model_version"].tolist() == ["test-1", "test-1"]


@pytest.mark.parametrize("user", ["", "   "])
def test_an_anonymous_correction_is_refused(small_db: Path, user: str) -> None:
    db = Database(small_db)
    with pytest.raises(NotAuthorisedError):
        correct_labels(db, 1, topics=[], capacity="none", user=user)
    assert db.scalar("select count(*) from label_correction") == 0


@pytest.mark.parametrize(
    ("passage", "topics", "capacity", "message"),
    [
        (None, ["cyber_stuff"], "none", "not a work-plan topic"),
        (None, [], "maybe", "not one of need, provision or none"),
        (999_999, [], "none", "does not exist"),
    ],
)
def test_bad_corrections_are_refused_in_one_sentence(
    small_db: Path, passage, topics, capacity, message
) -> None:
    db = Database(small_db)
    passage = passage or _passage(db, "would welcome assistance")
    with pytest.raises(InvalidValueError, match=message):
        correct_labels(db, passage, topics=topics, capacity=capacity, user="alice")
    assert db.scalar("select count(*) from label_correction") == 0


def test_a_held_out_text_cannot_be_corrected(small_db: Path, tmp_path: Path) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    text = db.scalar("select text from passage where id = ?", [need])
    heldout = tmp_path / "heldout.jsonl"
    record = {"id": "h1", "text": "  " + text.upper(), "lang": "en", "topics": []}
    heldout.write_text(json.dumps(record | {"capacity": "none"}) + "\n", encoding="utf-8")
    with pytest.raises(HeldOutTextError):
        correct_labels(db, need, topics=[], capacity="none", user="alice", heldout_path=heldout)
    assert db.scalar("select count(*) from label_correction") == 0


@pytest.mark.parametrize("name", ["heldout.jsonl", "heldout_b.jsonl", "heldout_c.jsonl"])
def test_the_guard_knows_the_real_held_out_sets(name: str) -> None:
    lines = (HELDOUT_PATH / name).read_text(encoding="utf-8").splitlines()
    first, last = json.loads(lines[0]), json.loads(lines[-1])
    assert is_heldout(first["text"]) and is_heldout(last["text"])
    assert is_heldout("  " + first["text"].replace(" ", "\n").upper())
    assert not is_heldout("Our country would welcome assistance in training prosecutors.")


def test_corrections_become_training_passages_but_never_held_out_ones(
    small_db: Path, tmp_path: Path
) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    bill = _passage(db, "A bill on procedural powers")
    correct_labels(db, need, topics=["law_enforcement"], capacity="provision", user="alice")
    correct_labels(db, need, topics=["electronic_evidence"], capacity="need", user="alice")
    correct_labels(db, bill, topics=["legislation_frameworks"], capacity="none", user="alice")
    records, left_out = training_passages(db)
    assert left_out == []
    by_id = {r["id"]: r for r in records}
    assert by_id[f"correction-{need}"]["topics"] == ["electronic_evidence"]  # the latest
    assert by_id[f"correction-{bill}"] | {"text": ""} == {
        "id": f"correction-{bill}",
        "text": "",
        "lang": "en",
        "topics": ["legislation_frameworks"],
        "capacity": "none",
        "genre": CORRECTION_GENRE,
    }
    # a text that became held-out after it was corrected is still left out of training
    text = db.scalar("select text from passage where id = ?", [bill])
    heldout = tmp_path / "heldout.jsonl"
    heldout.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    records, left_out = training_passages(db, heldout_path=heldout)
    assert [r["id"] for r in records] == [f"correction-{need}"]
    assert left_out == [f"passage {bill}: its text is in the held-out set"]


def test_deleting_a_document_deletes_its_corrections(small_db: Path) -> None:
    db = Database(small_db)
    need = _passage(db, "would welcome assistance")
    correct_labels(db, need, topics=[], capacity="none", user="alice")
    document = db.scalar("select document_id from passage where id = ?", [need])
    with Writer(db) as writer:
        writer.delete_document(document, user="alice")
    assert db.scalar("select count(*) from label_correction") == 0
