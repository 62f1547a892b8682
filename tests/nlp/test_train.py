from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ieg_analysis.cli import main
from ieg_analysis.nlp.classifier import Classifier
from ieg_analysis.nlp.data import LabelledDataError, group_folds, is_dev, read_training, split


def test_split_is_deterministic_and_disjoint():
    passages = read_training()
    train, dev = split(passages, dev_percent=15)
    assert len(train) + len(dev) == len(passages)
    assert {p.id for p in train}.isdisjoint({p.id for p in dev})
    assert 0.10 < len(dev) / len(passages) < 0.20
    assert split(list(reversed(passages)), dev_percent=15)[1] == list(reversed(dev))
    assert is_dev("a-0001", dev_percent=15) == is_dev("a-0001", dev_percent=15)


@pytest.mark.slow
def test_training_smoke(tmp_path: Path, small_training_dir: Path):
    output = tmp_path / "models"
    out = io.StringIO()
    args = ["train", "--training-data", str(small_training_dir), "--max-steps", "2"]
    code = main([*args, "--output", str(output)], out=out)
    assert code == 0
    meta = json.loads((output / "meta.json").read_text(encoding="utf-8"))
    assert meta["max_steps"] == 2
    written = read_training(small_training_dir)
    assert sum(lang["train_passages"] for lang in meta["languages"].values()) == len(
        split(written, dev_percent=15)[0]
    )
    assert set(meta["languages"]) == {"en", "fr", "es"}
    classifier = Classifier.load(output)
    (result,) = classifier.classify(["We request training."], ["en"])
    assert result.classified and classifier.version == meta["version"]


def test_training_from_a_folder_without_labelled_data_says_so(tmp_path: Path, capsys):
    code = main(["train", "--training-data", str(tmp_path), "--output", str(tmp_path / "m")])
    assert code == 2
    assert f"There are no labelled *.jsonl files in {tmp_path}." in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_writer_folds_deal_each_file_once():
    passages = [p for p in read_training() if p.lang == "fr"]
    folds = group_folds(passages, folds=3, by="source")
    dealt = [source for fold in folds for source in fold]
    assert sorted(dealt) == sorted({p.source for p in passages}) and len(folds) == 3
    assert all(source.startswith("fr") for source in dealt)
    with pytest.raises(LabelledDataError):
        group_folds(passages, folds=3, by="length")


@pytest.mark.slow
def test_training_twice_gives_the_same_topic_model(small_training_dir: Path):
    """The seed fixes everything, the hidden layer's random start included: retraining on
    the same data reproduces the shipped scores."""
    from ieg_analysis.nlp.train import train_task

    texts = ["We request training on electronic evidence.", "The law criminalizes illegal access."]
    runs = []
    for _ in range(2):
        result = train_task("en", "topics", training_dir=small_training_dir, max_steps=20)
        assert result.nlp.get_pipe("textcat_multilabel").model.get_ref("output_layer")
        runs.append([doc.cats for doc in result.nlp.pipe(texts)])
    assert runs[0] == runs[1]
    hidden = [node for node in result.nlp.get_pipe("textcat_multilabel").model.walk()]
    assert any(node.name == "ieg_hidden_features" for node in hidden)


def test_the_shipped_models_are_trained_on_what_the_repository_holds():
    """The model version ends in the fingerprint of the training data, configs, vocabulary,
    cue lists and feature code it was trained from: if any of them changes, retrain."""
    from ieg_analysis.nlp.train import fingerprint
    from ieg_analysis.settings import REPO_ROOT

    meta = json.loads((REPO_ROOT / "models" / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"].endswith("-" + fingerprint()), "models/ is stale: run 'ieg train'"


@pytest.mark.slow
def test_the_capacity_model_averaged_over_seeds_scores_with_their_mean_logits(
    small_training_dir: Path,
):
    """The weights of two seeds' linear models averaged: the averaged model's probabilities
    are the softmax of the mean of the two models' log-probabilities (the mean of their scores
    before the softmax), not either model's; a model with a hidden layer is refused."""
    import numpy

    from ieg_analysis.nlp.train import TrainingError, average_linear_weights, train_task

    texts = ["We request training on electronic evidence.", "We offer forensic laboratories."]
    kwargs = {"training_dir": small_training_dir, "max_steps": 20}
    singles = [
        train_task("en", "capacity", overrides={"system.seed": seed}, **kwargs).nlp
        for seed in (0, 1)
    ]
    labels = singles[0].get_pipe("textcat").labels
    probs = [
        numpy.array([[doc.cats[label] for label in labels] for doc in nlp.pipe(texts)])
        for nlp in singles
    ]
    assert not numpy.allclose(probs[0], probs[1])
    averaged = train_task("en", "capacity", seeds=2, **kwargs)
    got = numpy.array([[doc.cats[label] for label in labels] for doc in averaged.nlp.pipe(texts)])
    mean_logits = (numpy.log(probs[0]) + numpy.log(probs[1])) / 2
    expected = numpy.exp(mean_logits) / numpy.exp(mean_logits).sum(axis=1, keepdims=True)
    assert numpy.allclose(got, expected, atol=1e-4)
    assert 0.0 <= averaged.dev_score <= 1.0
    topics = [train_task("en", "topics", **kwargs).nlp for _ in range(2)]
    with pytest.raises(TrainingError, match="Only a linear"):
        average_linear_weights(topics, "textcat_multilabel")


@pytest.mark.parametrize(
    ("langs", "missing"),
    [(["EN", "FR", "ES"], "en, fr or es"), (["xx"], "en, fr or es"), (["en"], "fr or es")],
)
def test_training_without_passages_in_a_language_is_refused_and_models_kept(
    tmp_path: Path, capsys, langs: list[str], missing: str
):
    data = tmp_path / "training"
    data.mkdir()
    rows = [
        {
            "id": f"t-{i}",
            "text": "We request training.",
            "lang": lang,
            "topics": [],
            "capacity": "need",
        }
        for i, lang in enumerate(langs * 20)
    ]
    (data / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    output = tmp_path / "models"
    output.mkdir()
    (output / "evaluation.json").write_text("{}", encoding="utf-8")
    code = main(
        ["train", "--training-data", str(data), "--max-steps", "1", "--output", str(output)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"There are no training passages in {missing} in {data}" in err
    assert "Internal error" not in err and err.count("\n") == 1
    assert [p.name for p in output.iterdir()] == ["evaluation.json"]
    assert not (tmp_path / "models.new").exists()


def test_topics_given_as_a_string_are_refused_as_not_a_list(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    row = {"id": "x", "text": "T.", "lang": "en", "topics": "criminalization", "capacity": "none"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(LabelledDataError, match="topics must be a list of topic ids"):
        read_training(tmp_path)
