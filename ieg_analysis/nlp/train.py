"""Training: one topic pipeline and one capacity pipeline per language, from the configs.

``train_all`` trains each (language, task) with spaCy's training loop, keeps the best
model on the dev split, chooses the topic thresholds on out-of-fold scores of a
cross-validation that holds out whole writers or genres (``[ieg] threshold_folds`` and
``threshold_groups`` in the topic config), merges the
two components of a language into one pipeline ``<model_dir>/<lang>``, and writes
``<model_dir>/meta.json`` with the version, training sizes and time. A linear component can
be the mean of several seeds' models (``[ieg] average_seeds`` in its config): for a linear
model the mean of the weights gives the mean of the scores before the softmax, an ensemble
that costs nothing when classifying.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_loop
from spacy.util import load_config, resolve_dot_names

from ..errors import IEGError
from ..settings import REPO_ROOT
from . import CAPACITY_LABELS, LANGUAGES, TOPICS
from . import features as _features  # noqa: F401  (registers ieg.TextCatFeatures.v1)
from .data import TRAINING_DIR, Passage, group_folds, read_training, split
from .thresholds import calibrate_thresholds

CONFIG_DIR = REPO_ROOT / "configs"
COMPONENTS = {"topics": "textcat_multilabel", "capacity": "textcat"}


class TrainingError(IEGError):
    """Training cannot start (a missing config or training data)."""


@dataclass(frozen=True)
class TrainingResult:
    lang: str
    task: str
    nlp: Language
    dev_score: float
    seconds: float


def _or_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def train_task(
    lang: str,
    task: str,
    *,
    config_dir: Path = CONFIG_DIR,
    training_dir: Path = TRAINING_DIR,
    max_steps: int | None = None,
    overrides: dict[str, object] | None = None,
    log: io.StringIO | None = None,
    seeds: int = 1,
) -> TrainingResult:
    """Train one component for one language; the best model on the dev split. With
    ``seeds`` > 1, that many models trained with consecutive seeds (from the config's
    ``system.seed``) and their weights averaged (a linear model only); the dev score is then
    the averaged model's."""
    config_path = config_dir / f"{task}.cfg"
    if not config_path.is_file():
        raise TrainingError(f"The training config {config_path} does not exist.")
    overrides = {"nlp.lang": lang, "paths.training": str(training_dir), **(overrides or {})}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
        overrides["training.eval_frequency"] = max(1, min(max_steps, 100))
    config = load_config(config_path, overrides=overrides, interpolate=False)
    started = time.perf_counter()
    log = log if log is not None else io.StringIO()
    if seeds <= 1:
        nlp = _train_once(config, log)
        score = float(nlp.meta.get("performance", {}).get("cats_score") or 0.0)
        return TrainingResult(lang, task, nlp, score, time.perf_counter() - started)
    first = int(config["system"]["seed"])
    models = [
        _train_once(
            load_config(
                config_path, overrides={**overrides, "system.seed": first + i}, interpolate=False
            ),
            log,
        )
        for i in range(seeds)
    ]
    nlp = average_linear_weights(models, COMPONENTS[task])
    (dev_corpus,) = resolve_dot_names(config.interpolate(), ["corpora.dev"])
    score = float(nlp.evaluate(list(dev_corpus(nlp))).get("cats_score") or 0.0)
    return TrainingResult(lang, task, nlp, score, time.perf_counter() - started)


def _average_seeds(config_path: Path) -> int:
    """``[ieg] average_seeds`` of a task's config (1 when absent; a missing config is
    reported by ``train_task``)."""
    if not config_path.is_file():
        return 1
    return int(load_config(config_path).get("ieg", {}).get("average_seeds", 1))


def _train_once(config, log: io.StringIO) -> Language:
    nlp = init_nlp(config)
    with tempfile.TemporaryDirectory(prefix="ieg-train-") as tmp:
        train_loop(nlp, Path(tmp), stdout=log, stderr=log)
        best_dir = Path(tmp) / "model-best"
        return spacy.load(best_dir if best_dir.exists() else Path(tmp) / "model-last")


def average_linear_weights(models: list[Language], component: str) -> Language:
    """The first of ``models`` with its ``component``'s weights replaced by the mean of all
    of theirs. The feature hashes index the same rows in every model, so the mean model scores
    each passage with the mean of the models' scores before the softmax. Refused for a model
    with a hidden layer, where the mean of the weights is not the mean of the scores."""
    for model in models:
        if any(
            node.name == "ieg_hidden_features" for node in model.get_pipe(component).model.walk()
        ):
            raise TrainingError(
                f"Only a linear {component} can be averaged over seeds: set hidden_width = 0 "
                "or average_seeds = 1 in its config."
            )
    layers = [model.get_pipe(component).model.get_ref("output_layer") for model in models]
    for name in ("W", "b"):
        params = [layer.get_param(name) for layer in layers]
        if any(param.shape != params[0].shape for param in params):
            raise TrainingError(f"The {component} models to average differ in shape.")
        layers[0].set_param(name, sum(params[1:], params[0].copy()) / len(params))
    return models[0]


def grouped_cv_scores(
    lang: str,
    train: list[Passage],
    *,
    folds: int,
    by: str = "genre",
    config_dir: Path = CONFIG_DIR,
    training_dir: Path = TRAINING_DIR,
    max_steps: int | None = None,
) -> tuple[list[dict[str, float]], list[Passage]]:
    """Out-of-fold topic scores of ``lang``'s training passages, each from a model trained
    without the passage's group (nor the other groups of its fold). ``by="source"`` holds
    out writers: the folds are dealt from the files of ``lang``'s own passages, and the
    models still train on every other file, other languages included. ``by="genre"`` holds
    out genres, dealt from the genres of all the passages. With fewer than two groups there
    is nothing to hold out: no scores (the thresholds then stay at their default)."""
    own = [p for p in train if p.lang == lang]
    scores: list[dict[str, float]] = []
    gold: list[Passage] = []
    dealt = group_folds(own if by == "source" else train, folds=folds, by=by)
    if len(dealt) < 2:
        return scores, gold
    for groups in dealt:
        held = [p for p in own if getattr(p, by) in groups]
        if not held:
            continue
        result = train_task(
            lang,
            "topics",
            config_dir=config_dir,
            training_dir=training_dir,
            max_steps=max_steps,
            overrides={f"corpora.train.exclude_{by}s": list(groups)},
        )
        for doc in result.nlp.pipe(p.text for p in held):
            scores.append({topic: float(doc.cats[topic]) for topic in TOPICS})
        gold += held
    return scores, gold


def fingerprint(*, config_dir: Path = CONFIG_DIR, training_dir: Path = TRAINING_DIR) -> str:
    """A short hash of the training data, the configs, the term vocabulary and the cue lists."""
    from .terms import CUES_PATH, TERMS_PATH, TOPIC_CUES_PATH

    digest = hashlib.sha256()
    paths = [*sorted(training_dir.glob("*.jsonl")), *sorted(config_dir.glob("*.cfg")), TERMS_PATH]
    paths += [CUES_PATH, TOPIC_CUES_PATH]
    paths.append(Path(_features.__file__))
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


CORRECTIONS_FILE = "zz_corrections.jsonl"


def training_dir_with_corrections(
    records: list[dict], target: Path, *, training_dir: Path = TRAINING_DIR
) -> Path:
    """A training directory ``target``: the labelled files of ``training_dir`` plus the
    reviewers' corrections (labelled-passage lines, see ``review.corrections``) as one more
    file, so the configs' reader trains on both. The fingerprint, hence the model version,
    changes with the corrections."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(training_dir.glob("*.jsonl")):
        shutil.copyfile(path, target / path.name)
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    (target / CORRECTIONS_FILE).write_text(lines, encoding="utf-8")
    return target


def train_all(
    model_dir: Path,
    *,
    config_dir: Path = CONFIG_DIR,
    training_dir: Path = TRAINING_DIR,
    languages: tuple[str, ...] = LANGUAGES,
    max_steps: int | None = None,
    progress: Callable[[str], None] | None = None,
    extra_meta: dict | None = None,
) -> dict:
    """Train every model into ``model_dir`` (replacing what is there); return the metadata
    (with ``extra_meta`` added, e.g. how many corrections were trained on)."""
    started = time.perf_counter()
    passages = read_training(training_dir)
    config = load_config(config_dir / "topics.cfg", interpolate=False)
    dev_percent = int(config["corpora"]["dev"]["dev_percent"])
    other_languages = bool(config["corpora"]["train"]["other_languages"])
    folds = int(config.get("ieg", {}).get("threshold_folds", 0))
    grouping = str(config.get("ieg", {}).get("threshold_groups", "genre"))
    shared_threshold = bool(config.get("ieg", {}).get("shared_threshold", False))
    seeds = {task: _average_seeds(config_dir / f"{task}.cfg") for task in COMPONENTS}
    train, dev = split(passages, dev_percent=dev_percent)
    # refuse before the model directory is touched: a language without training passages
    # would be replaced by an untrained model
    missing = [lang for lang in languages if not any(p.lang == lang for p in train)]
    if missing:
        raise TrainingError(
            f"There are no training passages in {_or_list(missing)} in {training_dir} "
            f'(each line needs "lang": one of {", ".join(LANGUAGES)}), so nothing was trained.'
        )
    staging = model_dir.with_name(model_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    meta_languages: dict[str, dict] = {}
    for lang in languages:
        results = {}
        for task in COMPONENTS:
            if progress:
                progress(f"training {lang} {task}")
            results[task] = train_task(
                lang,
                task,
                config_dir=config_dir,
                training_dir=training_dir,
                max_steps=max_steps,
                seeds=seeds[task],
            )
        nlp = spacy.blank(lang)
        for task, component in COMPONENTS.items():
            nlp.add_pipe(component, source=results[task].nlp)
        lang_dev = [p for p in dev if p.lang == lang]
        if folds > 1:
            if progress:
                kind = "writer" if grouping == "source" else grouping
                progress(f"cross-validating {lang} topic thresholds over {folds} {kind} folds")
            cv_scores, cv_gold = grouped_cv_scores(
                lang,
                train,
                folds=folds,
                by=grouping,
                config_dir=config_dir,
                training_dir=training_dir,
                max_steps=max_steps,
            )
        else:
            docs = nlp.pipe((p.text for p in lang_dev), disable=["textcat"])
            cv_scores = [{topic: doc.cats[topic] for topic in TOPICS} for doc in docs]
            cv_gold = lang_dev
        thresholds = calibrate_thresholds(cv_scores, cv_gold, shared=shared_threshold)
        nlp.meta["ieg_thresholds"] = thresholds
        nlp.to_disk(staging / lang)
        lang_train = [p for p in train if p.lang == lang]
        meta_languages[lang] = {
            # sizes and label counts are of the language's own passages; with
            # other_languages the model also saw the other languages' training passages
            "train_passages": len(lang_train),
            "train_passages_all_languages": len(train) if other_languages else len(lang_train),
            "dev_passages": len(lang_dev),
            "topics": dict(Counter(t for p in lang_train for t in p.topics)),
            "no_topic": sum(1 for p in lang_train if not p.topics),
            "capacity": dict(Counter(p.capacity for p in lang_train)),
            "dev_scores": {task: round(r.dev_score, 4) for task, r in results.items()},
            "thresholds": thresholds,
            "threshold_passages": len(cv_gold),
            "seconds": {task: round(r.seconds, 1) for task, r in results.items()},
        }
    digest = fingerprint(config_dir=config_dir, training_dir=training_dir)
    meta = {
        "version": f"{date.today():%Y.%m.%d}-{digest}",
        "languages": meta_languages,
        "topics": list(TOPICS),
        "capacity_labels": list(CAPACITY_LABELS),
        "training_seconds": round(time.perf_counter() - started, 1),
        "max_steps": max_steps,
        "average_seeds": seeds,
        "spacy_version": spacy.__version__,
        **(extra_meta or {}),
    }
    (staging / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    # replace the old models (and their evaluation report, which described them) at once
    if model_dir.exists():
        shutil.rmtree(model_dir)
    staging.rename(model_dir)
    return meta
