"""CLI subcommands of the NLP layer: ``train``, ``evaluate``, ``classify-text``.

``register(subparsers)`` adds them; each handler is ``(args, settings, out) -> exit code``
and is also set as the parser's ``func`` default. Exit codes: 0 done, 2 input refused.

``classify-text`` is a stable public interface. It reads JSON lines ``{"id", "text"}`` (an
optional ``"language"`` skips detection) and writes, per line::

    {"id", "language", "topics": {six topic ids: score}, "topic": id | null,
     "capacity": {"need": p, "provision": p, "none": p},
     "capacity_label": "need" | "provision" | "none" | null, "terms": [term ids]}

For a language without a model, ``topics`` and ``capacity`` are ``{}``, the labels are null
and ``"unclassified_reason"`` says why.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..settings import DATA_DIR, Settings
from .errors import InputLinesError

if TYPE_CHECKING:  # spaCy is imported only when a command runs, not to build the parser
    from .classifier import Classification

HELDOUT_PATH = DATA_DIR / "evaluation" / "heldout.jsonl"
# whole documents cut into the passages the product makes of them (data/evaluation/documents.md)
DOCUMENTS_PATH = DATA_DIR / "evaluation" / "documents.jsonl"


def register(subparsers) -> None:
    train = subparsers.add_parser(
        "train",
        help="train the topic and capacity-building models from data/training",
        description="Train one pipeline per language (en, fr, es) with the topic and "
        "capacity-building classifiers, from data/training and the configs in configs/, and "
        "write them with meta.json to the model directory.",
    )
    train.add_argument(
        "--output", type=Path, help="model directory (default: $IEG_MODEL_DIR or models/)"
    )
    train.add_argument(
        "--max-steps", type=int, help="stop each model after this many steps (for smoke tests)"
    )
    train.add_argument(
        "--training-data",
        type=Path,
        help="folder of labelled *.jsonl files to train on (default: data/training)",
    )
    train.add_argument(
        "--with-corrections",
        action="store_true",
        help="also train on the reviewers' label corrections stored in the database "
        "(--db or $IEG_DB): the latest correction of each passage, never a held-out text",
    )
    train.set_defaults(func=cmd_train)

    evaluate = subparsers.add_parser(
        "evaluate",
        help="score the models on the held-out sets and write evaluation.json beside them",
        description="Per-label precision, recall and F1, macro-F1, the need/provision/none "
        "confusion table and calibration, overall and per language.",
    )
    evaluate.add_argument("--models", type=Path, help="model directory (default: models/)")
    evaluate.add_argument(
        "--data",
        type=Path,
        default=HELDOUT_PATH,
        help="labelled JSONL to score (default: the held-out sets). The report on other data "
        "is printed, and written only with --report: evaluation.json beside the models keeps "
        "the held-out report the app shows",
    )
    evaluate.add_argument(
        "--report",
        type=Path,
        help="write the JSON report to this file (default: evaluation.json beside the models, "
        "when scoring the held-out sets)",
    )
    evaluate.add_argument(
        "--baseline",
        type=Path,
        help="another model directory (e.g. the models before a retraining with corrections): "
        "score it on the same data and show both, before and after, side by side",
    )
    evaluate.set_defaults(func=cmd_evaluate)

    classify = subparsers.add_parser(
        "classify-text",
        help="classify JSON lines {id, text} into JSON lines of scores and labels",
        description="Read JSON lines with 'id' and 'text' (and optionally 'language') and "
        "write one line per input with the topic scores, best topic, capacity-building "
        "probabilities and label, and matched terms.",
    )
    classify.add_argument("--input", type=Path, required=True, help="input JSONL")
    classify.add_argument("--output", type=Path, required=True, help="output JSONL")
    classify.add_argument("--models", type=Path, help="model directory (default: models/)")
    classify.set_defaults(func=cmd_classify_text)


def cmd_train(args: argparse.Namespace, settings: Settings, out) -> int:
    from .data import TRAINING_DIR
    from .train import train_all

    model_dir = args.output or settings.model_dir
    if args.max_steps is not None and args.max_steps < 1:
        print("--max-steps must be at least 1.", file=sys.stderr)
        return 2
    training_dir = args.training_data or TRAINING_DIR
    if not training_dir.is_dir() or not any(training_dir.glob("*.jsonl")):
        print(f"There are no labelled *.jsonl files in {training_dir}.", file=sys.stderr)
        return 2
    if args.with_corrections:
        return _train_with_corrections(args, settings, out, model_dir, _progress, training_dir)
    meta = train_all(
        model_dir, training_dir=training_dir, max_steps=args.max_steps, progress=_progress
    )
    _print_training(meta, model_dir, out)
    return 0


def _progress(message: str) -> None:
    print(message, file=sys.stderr)


def _train_with_corrections(
    args, settings: Settings, out, model_dir: Path, progress, source: Path
) -> int:
    """``ieg train --with-corrections``: the training data plus the stored corrections."""
    import tempfile

    from ..audit import local_operator
    from ..review.corrections import training_passages
    from ..store.db import Database
    from ..store.writer import Writer
    from .train import train_all, training_dir_with_corrections

    settings = settings.with_db(getattr(args, "db", None))
    db = Database(settings.db_path)
    if not db.exists():
        print(f"There is no database at {db.path}; run 'ieg init --sample' first.", file=sys.stderr)
        return 2
    db.initialise()
    records, left_out = training_passages(db)
    for reason in left_out:
        print(f"Left out {reason}.", file=sys.stderr)
    if not records:
        print(f"There are no label corrections in {db.path} to train on.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ieg-corrections-") as tmp:
        training_dir = training_dir_with_corrections(records, Path(tmp), training_dir=source)
        meta = train_all(
            model_dir,
            training_dir=training_dir,
            max_steps=args.max_steps,
            progress=progress,
            extra_meta={
                "corrections": len(records),
                "corrections_by_language": {
                    lang: sum(r["lang"] == lang for r in records)
                    for lang in sorted({r["lang"] for r in records})
                },
                "corrections_database": str(db.path),
            },
        )
    with Writer(db) as writer:
        writer.record_audit(
            local_operator(),
            "retrain",
            f"model {meta['version']}",
            f"trained with {len(records)} label corrections into {model_dir}",
        )
    _print_training(meta, model_dir, out)
    print(f"  with {len(records)} label corrections from {db.path}", file=out)
    return 0


def _print_training(meta: dict, model_dir: Path, out) -> None:
    print(
        f"Trained models {meta['version']} into {model_dir} in {meta['training_seconds']:.1f} s.",
        file=out,
    )
    for lang, info in meta["languages"].items():
        print(
            f"  {lang}: {info['train_passages']} training passages, dev scores "
            f"topics {info['dev_scores']['topics']:.3f}, "
            f"capacity {info['dev_scores']['capacity']:.3f}",
            file=out,
        )


def cmd_evaluate(args: argparse.Namespace, settings: Settings, out) -> int:
    from .classifier import Classifier
    from .evaluate import (
        REPORT_NAME,
        compare,
        evaluate,
        format_comparison,
        format_report,
        write_report,
    )

    model_dir = args.models or settings.model_dir
    classifier = Classifier.load(model_dir)
    report = evaluate(classifier, path=args.data)
    if args.baseline is not None:
        baseline = evaluate(Classifier.load(args.baseline), path=args.data)
        report["comparison"] = compare(baseline, report)
    heldout = args.data.resolve() == HELDOUT_PATH.resolve()
    if heldout:  # the other held-out sets, each written independently
        others = sorted(p for p in HELDOUT_PATH.parent.glob("heldout*.jsonl") if p != HELDOUT_PATH)
        if others:
            report["other_sets"] = {p.name: evaluate(classifier, path=p) for p in others}
        if DOCUMENTS_PATH.is_file():  # paragraphs of whole documents: a diagnostic, shown apart
            report["diagnostic_sets"] = {
                DOCUMENTS_PATH.name: evaluate(classifier, path=DOCUMENTS_PATH)
            }
    path = None
    if heldout or args.report is not None:
        try:
            path = write_report(report, model_dir, path=args.report)
        except OSError as error:
            target = args.report or model_dir / REPORT_NAME
            reason = error.strerror or str(error)
            print(f"Cannot write the report to {target}: {reason}.", file=sys.stderr)
            return 2
    print(format_report(report), file=out)
    if args.baseline is not None:
        print("\n" + format_comparison(report["comparison"]), file=out)
    for other in report.get("other_sets", {}).values():
        print("\n" + format_report(other), file=out)
    for diagnostic in report.get("diagnostic_sets", {}).values():
        print("\nDiagnostic (not a held-out set): " + format_report(diagnostic), file=out)
    if path is not None:
        print(f"\nReport written to {path}.", file=out)
    else:
        print(
            f"\nReport not written: {model_dir / REPORT_NAME} keeps the held-out report; "
            "pass --report FILE to save this one.",
            file=out,
        )
    return 0


def read_input_lines(path: Path) -> list[dict]:
    """The {id, text} records of a JSONL file; :class:`InputLinesError` on the first bad one."""
    if not path.is_file():
        raise InputLinesError(f"The input file {path} does not exist.")
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputLinesError(f"The input file {path} cannot be read ({error}).") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputLinesError(f"Line {number} of {path} is not JSON.") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputLinesError(f'Line {number} of {path} has no "text" string.')
        records.append(record)
    return records


def output_record(record_id: object, result: Classification) -> dict:
    """The public classify-text line for one input."""
    if not result.classified:
        return {
            "id": record_id,
            "language": result.language,
            "topics": {},
            "topic": None,
            "capacity": {},
            "capacity_label": None,
            "terms": [],
            "unclassified_reason": result.reason,
        }
    return {
        "id": record_id,
        "language": result.language,
        "topics": {topic: round(score, 4) for topic, score in result.topics.items()},
        "topic": result.topic,
        "capacity": {label: round(p, 4) for label, p in result.capacity.items()},
        "capacity_label": result.capacity_label,
        "terms": list(result.terms),
    }


def cmd_classify_text(args: argparse.Namespace, settings: Settings, out) -> int:
    try:
        records = read_input_lines(args.input)
    except InputLinesError as error:
        print(str(error), file=sys.stderr)
        return 2
    from ..export.commands import check_output
    from .classifier import Classifier

    check_output(args.output)  # before the models are loaded and run

    classifier = Classifier.load(args.models or settings.model_dir)
    started = time.perf_counter()
    texts = [record["text"] for record in records]
    given = [record.get("language") for record in records]
    if all(isinstance(lang, str) and lang for lang in given) and given:
        results = classifier.classify(texts, given)
    else:
        from ..ingest.language import detect_language

        languages = [
            lang if isinstance(lang, str) and lang else detect_language(text)
            for lang, text in zip(given, texts, strict=True)
        ]
        results = classifier.classify(texts, languages)
    elapsed = time.perf_counter() - started
    lines = [
        json.dumps(output_record(record.get("id"), result), ensure_ascii=False)
        for record, result in zip(records, results, strict=True)
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    unclassified = sum(not result.classified for result in results)
    print(
        f"Classified {len(results) - unclassified} of {len(results)} passages with models "
        f"{classifier.version} in {elapsed:.2f} s ({unclassified} unclassified); wrote "
        f"{args.output}.",
        file=out,
    )
    return 0
