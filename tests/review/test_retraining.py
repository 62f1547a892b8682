"""`ieg train --with-corrections`: the stored corrections join the training data (always
in the training split, never a genre fold of their own), a new model version is trained,
and `ieg evaluate --baseline` shows before and after on the same held-out data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ieg_analysis.cli import main
from ieg_analysis.nlp.data import Passage, group_folds, read_training, split
from ieg_analysis.nlp.train import CORRECTIONS_FILE, training_dir_with_corrections
from ieg_analysis.records import CORRECTION_GENRE
from ieg_analysis.review.corrections import correct_labels
from ieg_analysis.review.heldout import HELDOUT_PATH
from ieg_analysis.settings import REPO_ROOT
from ieg_analysis.store.db import Database


def _correction(number: int) -> Passage:
    return Passage(
        f"correction-{number}", "text", "en", (), "none", CORRECTION_GENRE, "zz_corrections"
    )


def test_corrections_are_always_trained_on_and_never_a_held_out_fold() -> None:
    written = read_training()
    corrections = [_correction(n) for n in range(200)]
    train, dev = split([*written, *corrections], dev_percent=15)
    assert not [p for p in dev if p.genre == CORRECTION_GENRE]
    assert len([p for p in train if p.genre == CORRECTION_GENRE]) == 200
    assert split(written, dev_percent=15) == (train[: len(train) - 200], dev)
    for by in ("genre", "source"):
        with_corrections = group_folds([*written, *corrections], folds=3, by=by)
        assert with_corrections == group_folds(written, folds=3, by=by)


def test_the_training_directory_holds_the_written_data_and_the_corrections(
    tmp_path: Path,
) -> None:
    record = {"id": "correction-7", "text": "Schools teach online safety.", "lang": "en"}
    record |= {"topics": ["prevention"], "capacity": "none", "genre": CORRECTION_GENRE}
    target = training_dir_with_corrections([record], tmp_path / "training")
    passages = read_training(target)
    assert len(passages) == len(read_training()) + 1
    assert passages[-1] == Passage(
        "correction-7",
        record["text"],
        "en",
        ("prevention",),
        "none",
        CORRECTION_GENRE,
        CORRECTIONS_FILE.removesuffix(".jsonl"),
    )
    assert (target / CORRECTIONS_FILE).is_file()


def test_without_corrections_nothing_is_trained(small_db: Path, tmp_path: Path, capsys) -> None:
    code = main(
        ["--db", str(small_db), "train", "--with-corrections", "--output", str(tmp_path / "m")]
    )
    assert code == 2
    assert "There are no label corrections" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


@pytest.mark.slow
def test_retraining_with_corrections_on_a_tiny_model(
    small_db: Path, tmp_path: Path, small_training_dir: Path
) -> None:
    db = Database(small_db)
    bill = int(db.scalar("select id from passage where text like 'A bill on procedural%'"))
    need = int(db.scalar("select id from passage where text like '%would welcome%'"))
    correct_labels(db, bill, topics=["legislation_frameworks"], capacity="none", user="alice")
    correct_labels(db, need, topics=["electronic_evidence"], capacity="need", user="alice")
    output = tmp_path / "models"
    out = io.StringIO()
    args = ["--db", str(small_db), "train", "--with-corrections", "--max-steps", "2"]
    args += ["--training-data", str(small_training_dir)]
    assert main([*args, "--output", str(output)], out=out) == 0
    assert "with 2 label corrections" in out.getvalue()
    meta = json.loads((output / "meta.json").read_text(encoding="utf-8"))
    assert meta["corrections"] == 2 and meta["corrections_by_language"] == {"en": 2}
    shipped = json.loads((REPO_ROOT / "models" / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] != shipped["version"]  # the corrections change the fingerprint
    # the English training passages are the written ones plus the two corrections
    training = read_training(small_training_dir)
    written = [p for p in split(training, dev_percent=15)[0] if p.lang == "en"]
    assert meta["languages"]["en"]["train_passages"] == len(written) + 2
    audit = db.query("select action, target, detail from audit_log order by id desc limit 1")
    assert audit.iloc[0]["action"] == "retrain"
    assert audit.iloc[0]["target"] == f"model {meta['version']}"

    sample = tmp_path / "heldout-sample.jsonl"
    sample.write_text(
        "".join(
            (HELDOUT_PATH / "heldout.jsonl")
            .read_text(encoding="utf-8")
            .splitlines(keepends=True)[:40]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    code = main(
        [
            "evaluate",
            "--models",
            str(output),
            "--baseline",
            str(REPO_ROOT / "models"),
            "--data",
            str(sample),
            "--report",
            str(tmp_path / "comparison.json"),
        ],
        out=out,
    )
    assert code == 0
    assert f"{shipped['version']} -> {meta['version']}" in out.getvalue()
    report = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert report["comparison"]["before"]["model_version"] == shipped["version"]
    assert report["comparison"]["after"]["model_version"] == meta["version"]
    assert set(report["comparison"]["after"]["topic_f1"]) == set(report["topics"]["per_label"])
