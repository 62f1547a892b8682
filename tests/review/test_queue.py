"""The review queue: least certain first, and passages whose heading names another topic."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ieg_analysis.analytics.filters import Filters
from ieg_analysis.errors import InvalidValueError
from ieg_analysis.review.corrections import correct_labels
from ieg_analysis.review.queue import queue_counts, review_queue
from ieg_analysis.review.versions import model_versions
from ieg_analysis.store.db import Database
from ieg_analysis.store.writer import Writer


def _bill(db: Database) -> int:
    return int(db.scalar("select id from passage where text like 'A bill on procedural%'"))


def test_the_heading_queue_holds_passages_whose_heading_names_another_topic(
    small_db: Path,
) -> None:
    db = Database(small_db)
    queue = review_queue(db, mode="disagree")
    # "II. Legislation and frameworks" over a passage the keyword model gave no topic
    assert queue["passage_id"].tolist() == [_bill(db)]
    assert queue["heading_topic"].tolist() == ["legislation_frameworks"]
    assert review_queue(db)["passage_id"].tolist() == [_bill(db)]  # the default queue


def test_a_reviewed_passage_leaves_the_queue_unless_asked_for(small_db: Path) -> None:
    db = Database(small_db)
    correct_labels(db, _bill(db), topics=[], capacity="none", user="alice")  # confirmed
    assert review_queue(db, mode="disagree").empty
    again = review_queue(db, mode="disagree", include_corrected=True)
    assert again["corrected"].tolist() == [True]
    counts = queue_counts(db)
    assert counts["corrected"] == 1 and counts["disagree"] == 0


def test_the_least_certain_passage_comes_first(small_db: Path) -> None:
    db = Database(small_db)
    with Writer(db) as writer:  # make one passage a coin toss on prevention
        writer.con.execute(
            "update passage_classification set prevention = 0.49, need = 0.34, "
            'provision = 0.33, "none" = 0.33 where passage_id = ?',
            [_bill(db)],
        )
        writer.refresh_facts()  # a write around the writer's methods: bring passage_fact along
    queue = review_queue(db, mode="uncertain")
    assert queue["passage_id"].iloc[0] == _bill(db)
    assert queue["certainty"].is_monotonic_increasing
    assert queue["certainty"].iloc[0] == pytest.approx(0.01, abs=1e-4)
    assert len(review_queue(db, mode="uncertain", limit=2)) == 2
    assert review_queue(db, Filters(meetings=(6,)), mode="uncertain")["meeting"].eq(6).all()


def test_each_row_says_which_call_set_its_place_in_the_queue(small_db: Path) -> None:
    db = Database(small_db)
    with Writer(db) as writer:
        writer.con.execute(  # a near tie of need and offer; prevention 0.1 from 0.5
            "update passage_classification set prevention = 0.4, need = 0.45, "
            'provision = 0.43, "none" = 0.12 where passage_id = ?',
            [_bill(db)],
        )
        writer.register_model(  # prevention's threshold 0.12: 0.0 from a 0.12 score
            "test-1",
            meta='{"languages": {"en": {"thresholds": {"prevention": 0.12}}}}',
            evaluation=None,
        )
        writer.refresh_facts()
    queue = review_queue(db, mode="uncertain").set_index("passage_id")
    assert queue.loc[_bill(db), "closest_call"] == "Need 0.450 vs offer 0.430, 0.020 apart"
    others = queue.drop(index=_bill(db))
    near = others[others["prevention"].sub(0.12).abs() < 0.05]
    assert len(near)
    row = near.iloc[0]
    gap = row["prevention"] - 0.12
    expected = (
        f"Prevention {row['prevention']:.4f}, {abs(gap):.4f} "
        f"{'above' if gap >= 0 else 'below'} its 0.12 threshold"
    )
    assert row["closest_call"] == expected


def test_the_thresholds_of_the_current_model_are_used(small_db: Path) -> None:
    db = Database(small_db)
    meta = '{"languages": {"en": {"thresholds": {"prevention": 0.12}}}}'
    with Writer(db) as writer:
        writer.register_model("test-1", meta=meta, evaluation=None)
    queue = review_queue(db, mode="uncertain")
    # a prevention score of 0.1 is now 0.02 from its threshold: the least certain
    first = queue.iloc[0]
    assert first["prevention"] == pytest.approx(0.1)
    assert first["topic_margin"] == pytest.approx(0.02, abs=1e-6)


def test_an_unknown_queue_is_refused(small_db: Path) -> None:
    with pytest.raises(InvalidValueError):
        review_queue(Database(small_db), mode="everything")


def test_model_versions_say_what_each_labelled(small_db: Path) -> None:
    db = Database(small_db)
    meta = (
        '{"languages": {"en": {"train_passages": 10}, "fr": {"train_passages": 5}}, '
        '"corrections": 2}'
    )
    evaluation = (
        '{"dataset": "heldout.jsonl", "topics": {"macro_f1": 0.8}, '
        '"capacity": {"macro_f1": 0.7, "need_provision_macro_f1": 0.6}}'
    )
    with Writer(db) as writer:
        writer.register_model("test-0", meta=meta, evaluation=evaluation)
        writer.set_meta("model_version", "test-1")
    correct_labels(db, _bill(db), topics=[], capacity="none", user="alice")
    versions = model_versions(db).set_index("version")
    passages = db.scalar("select count(*) from passage")
    assert versions.at["test-1", "passages_labelled"] == passages
    assert versions.at["test-1", "current"] and not versions.at["test-0", "current"]
    assert versions.at["test-1", "corrections_of_its_labels"] == 1
    assert versions.at["test-0", "passages_labelled"] == 0
    assert versions.at["test-0", "training_passages"] == 15
    assert versions.at["test-0", "trained_on_corrections"] == 2
    assert versions.at["test-0", "topics_macro_f1"] == 0.8
    assert versions.at["test-0", "need_provision_macro_f1"] == 0.6


@pytest.mark.parametrize("mode", ["review", "uncertain", "disagree"])
def test_the_queue_from_passage_fact_equals_the_queue_from_the_live_view(
    small_db: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    from ieg_analysis.review import queue as module
    from ieg_analysis.store.facts import FACT_TABLE, LIVE_VIEW, passage_source

    db = Database(small_db)
    assert passage_source(db) == FACT_TABLE  # the writer keeps it current
    fact = review_queue(db, mode=mode, include_corrected=True, limit=500)
    fact_counts = queue_counts(db)
    monkeypatch.setattr(module, "passage_source", lambda _db: LIVE_VIEW)
    live = review_queue(db, mode=mode, include_corrected=True, limit=500)
    assert not live.empty and live["text"].notna().all()
    pd.testing.assert_frame_equal(fact, live)
    assert fact_counts == queue_counts(db)
