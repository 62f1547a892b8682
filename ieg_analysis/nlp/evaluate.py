"""Evaluation on the held-out set: per-label P/R/F1, macro-F1, confusion and calibration.

The report is a JSON-ready dict, written as ``<model_dir>/evaluation.json`` beside the
models so the app can show it; :func:`format_report` renders it as a printable table.

Calibration: topic scores are binned (ten bins over [0, 1]) and each bin's mean score is
compared with the share of its (passage, topic) pairs that are truly that topic; capacity
confidence (the winning probability) is compared with how often the winner is right.
ECE is the bin-size-weighted mean absolute gap.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from . import CAPACITY_LABELS, LANGUAGES, TOPICS
from .classifier import Classification, Classifier
from .data import HELDOUT_PATH, LabelledDataError, Passage, read_passages

REPORT_NAME = "evaluation.json"
BINS = 10


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": tp + fn,
    }


def _macro(per_label: dict[str, dict], labels: Sequence[str]) -> float:
    return round(sum(per_label[label]["f1"] for label in labels) / len(labels), 4)


def topic_scores(gold: Sequence[Passage], predicted: Sequence[Classification]) -> dict:
    per_label = {}
    for topic in TOPICS:
        tp = fp = fn = 0
        for passage, result in zip(gold, predicted, strict=True):
            truth, guess = topic in passage.topics, topic in result.topic_labels
            tp += truth and guess
            fp += guess and not truth
            fn += truth and not guess
        per_label[topic] = _prf(tp, fp, fn)
    exact = sum(set(p.topics) == set(r.topic_labels) for p, r in zip(gold, predicted, strict=True))
    return {
        "per_label": per_label,
        "macro_f1": _macro(per_label, TOPICS),
        "exact_match": round(exact / len(gold), 4) if gold else 0.0,
    }


def capacity_scores(gold: Sequence[Passage], predicted: Sequence[Classification]) -> dict:
    confusion = {g: dict.fromkeys(CAPACITY_LABELS, 0) for g in CAPACITY_LABELS}
    for passage, result in zip(gold, predicted, strict=True):
        confusion[passage.capacity][result.capacity_label] += 1
    per_label = {}
    for label in CAPACITY_LABELS:
        tp = confusion[label][label]
        fp = sum(confusion[g][label] for g in CAPACITY_LABELS if g != label)
        fn = sum(confusion[label][p] for p in CAPACITY_LABELS if p != label)
        per_label[label] = _prf(tp, fp, fn)
    correct = sum(confusion[label][label] for label in CAPACITY_LABELS)
    return {
        "per_label": per_label,
        "macro_f1": _macro(per_label, CAPACITY_LABELS),
        "need_provision_macro_f1": _macro(per_label, ("need", "provision")),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "confusion": confusion,
    }


def calibration(pairs: Sequence[tuple[float, bool]], *, low: float = 0.0) -> dict:
    """Reliability bins of (confidence, was right) pairs over [low, 1], and the ECE."""
    width = (1.0 - low) / BINS
    bins = []
    ece = 0.0
    for b in range(BINS):
        lo, hi = low + b * width, low + (b + 1) * width
        inside = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == BINS - 1 and c == hi)]
        if not inside:
            bins.append({"low": round(lo, 3), "high": round(hi, 3), "n": 0})
            continue
        confidence = sum(c for c, _ in inside) / len(inside)
        accuracy = sum(ok for _, ok in inside) / len(inside)
        ece += len(inside) / len(pairs) * abs(confidence - accuracy)
        bins.append(
            {
                "low": round(lo, 3),
                "high": round(hi, 3),
                "n": len(inside),
                "confidence": round(confidence, 4),
                "accuracy": round(accuracy, 4),
            }
        )
    return {"bins": bins, "ece": round(ece, 4)}


def _scores(gold: list[Passage], predicted: list[Classification]) -> dict:
    topic_pairs = [
        (r.topics[t], t in p.topics) for p, r in zip(gold, predicted, strict=True) for t in TOPICS
    ]
    capacity_pairs = [
        (r.capacity[r.capacity_label], r.capacity_label == p.capacity)
        for p, r in zip(gold, predicted, strict=True)
    ]
    return {
        "passages": len(gold),
        "topics": topic_scores(gold, predicted),
        "capacity": capacity_scores(gold, predicted),
        "calibration": {
            "topics": calibration(topic_pairs),
            "capacity": calibration(capacity_pairs, low=1 / 3),
        },
    }


def evaluate(classifier: Classifier, *, path: Path = HELDOUT_PATH) -> dict:
    """Score the classifier on a labelled JSONL file (the held-out set by default)."""
    everything = read_passages(path, headings=True)
    passages = [p for p in everything if not p.heading]
    headings = len(everything) - len(passages)
    if not passages:  # zeros for nothing would read as a report
        raise LabelledDataError(f"{path} holds no labelled passages, so there is nothing to score.")
    results = classifier.classify([p.text for p in passages], [p.lang for p in passages])
    pairs = [(p, r) for p, r in zip(passages, results, strict=True) if r.classified]
    if not pairs:
        raise LabelledDataError(
            f"None of the {len(passages)} passages in {path} is in a language the models "
            f"cover ({', '.join(LANGUAGES)}), so there is nothing to score."
        )
    gold = [p for p, _ in pairs]
    predicted = [r for _, r in pairs]
    report = {
        "model_version": classifier.version,
        "dataset": path.name,
        "evaluated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "unclassified": len(passages) - len(pairs),
        "headings_left_out": headings,
        **_scores(gold, predicted),
        "by_language": {},
    }
    for lang in sorted({p.lang for p in gold}):
        keep = [i for i, p in enumerate(gold) if p.lang == lang]
        report["by_language"][lang] = _scores([gold[i] for i in keep], [predicted[i] for i in keep])
    return report


def write_report(report: dict, model_dir: Path, *, path: Path | None = None) -> Path:
    """Write ``report`` as JSON to ``path`` (default: ``evaluation.json`` in ``model_dir``)."""
    path = Path(path) if path is not None else Path(model_dir) / REPORT_NAME
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_report(model_dir: Path) -> dict | None:
    """The last evaluation report beside the models, if there is one."""
    path = Path(model_dir) / REPORT_NAME
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def format_report(report: dict) -> str:
    """The report as plain-text tables."""
    headings = report.get("headings_left_out") or 0
    left_out = (
        f"; {headings} titles and headings left out, which the product never classifies"
        if headings
        else ""
    )
    lines = [
        f"Model {report['model_version']} on {report['dataset']}: "
        f"{report['passages']} passages ({report['unclassified']} unclassified{left_out})",
        "",
    ]

    def table(title: str, per_label: dict) -> None:
        lines.append(f"{title:<28}{'P':>8}{'R':>8}{'F1':>8}{'n':>6}")
        for label, s in per_label.items():
            lines.append(
                f"  {label:<26}{s['precision']:>8.3f}{s['recall']:>8.3f}"
                f"{s['f1']:>8.3f}{s['support']:>6}"
            )

    table("Topics", report["topics"]["per_label"])
    lines.append(f"  {'macro-F1':<26}{'':>16}{report['topics']['macro_f1']:>8.3f}")
    lines.append(f"  {'exact set match':<26}{'':>16}{report['topics']['exact_match']:>8.3f}")
    lines.append("")
    capacity = report["capacity"]
    table("Capacity building", capacity["per_label"])
    lines.append(f"  {'macro-F1 (3 labels)':<26}{'':>16}{capacity['macro_f1']:>8.3f}")
    lines.append(
        f"  {'macro-F1 (need, provision)':<26}{'':>16}{capacity['need_provision_macro_f1']:>8.3f}"
    )
    lines.append(f"  {'accuracy':<26}{'':>16}{capacity['accuracy']:>8.3f}")
    lines += [
        "",
        "Confusion (rows gold, columns predicted)",
        "  " + f"{'':<12}" + "".join(f"{label:>11}" for label in CAPACITY_LABELS),
    ]
    for gold_label, row in capacity["confusion"].items():
        lines.append(f"  {gold_label:<12}" + "".join(f"{row[p]:>11}" for p in CAPACITY_LABELS))
    for name, cal in report["calibration"].items():
        what = "share positive" if name == "topics" else "accuracy"
        lines += ["", f"Calibration, {name} (ECE {cal['ece']:.3f}): confidence vs {what}"]
        for b in cal["bins"]:
            if b["n"]:
                lines.append(
                    f"  [{b['low']:.2f}, {b['high']:.2f})  n={b['n']:<5}"
                    f"confidence {b['confidence']:.3f}  {what} {b['accuracy']:.3f}"
                )
    lines += [
        "",
        f"{'By language':<14}{'n':>6}{'topic macro-F1':>16}{'capacity macro-F1':>19}"
        f"{'topic ECE':>11}{'capacity ECE':>14}",
    ]
    for lang, s in report["by_language"].items():
        lines.append(
            f"  {lang:<12}{s['passages']:>6}{s['topics']['macro_f1']:>16.3f}"
            f"{s['capacity']['macro_f1']:>19.3f}"
            f"{s['calibration']['topics']['ece']:>11.3f}"
            f"{s['calibration']['capacity']['ece']:>14.3f}"
        )
    return "\n".join(lines)


def _summary(report: dict) -> dict:
    """The figures a before/after comparison shows, from one report."""
    by_language = report.get("by_language", {})
    return {
        "model_version": report["model_version"],
        "topics_macro_f1": report["topics"]["macro_f1"],
        "topics_exact_match": report["topics"]["exact_match"],
        "capacity_macro_f1": report["capacity"]["macro_f1"],
        "capacity_need_provision_macro_f1": report["capacity"]["need_provision_macro_f1"],
        "capacity_accuracy": report["capacity"]["accuracy"],
        "topic_f1": {t: s["f1"] for t, s in report["topics"]["per_label"].items()},
        "capacity_f1": {c: s["f1"] for c, s in report["capacity"]["per_label"].items()},
        "by_language": {
            lang: {
                "topics_macro_f1": s["topics"]["macro_f1"],
                "capacity_macro_f1": s["capacity"]["macro_f1"],
            }
            for lang, s in by_language.items()
        },
    }


def compare(before: dict, after: dict) -> dict:
    """Before/after figures of two reports on the same data (e.g. the models before and
    after a retraining with reviewers' corrections)."""
    if before.get("dataset") != after.get("dataset") or before["passages"] != after["passages"]:
        raise ValueError("A comparison needs two reports on the same data.")
    return {"dataset": after["dataset"], "before": _summary(before), "after": _summary(after)}


def format_comparison(comparison: dict) -> str:
    """The comparison as a plain-text table: before, after, change."""
    before, after = comparison["before"], comparison["after"]
    lines = [
        f"Before/after on {comparison['dataset']}: "
        f"{before['model_version']} -> {after['model_version']}",
        f"{'':<34}{'before':>8}{'after':>8}{'change':>8}",
    ]

    def row(label: str, b: float, a: float) -> None:
        lines.append(f"  {label:<32}{b:>8.3f}{a:>8.3f}{a - b:>+8.3f}")

    row("topics macro-F1", before["topics_macro_f1"], after["topics_macro_f1"])
    row("topics exact set match", before["topics_exact_match"], after["topics_exact_match"])
    for topic, f1 in before["topic_f1"].items():
        row(f"  {topic}", f1, after["topic_f1"][topic])
    row("capacity macro-F1 (3 labels)", before["capacity_macro_f1"], after["capacity_macro_f1"])
    row(
        "capacity macro-F1 (need, provision)",
        before["capacity_need_provision_macro_f1"],
        after["capacity_need_provision_macro_f1"],
    )
    row("capacity accuracy", before["capacity_accuracy"], after["capacity_accuracy"])
    for lang, s in before["by_language"].items():
        if lang in after["by_language"]:
            row(
                f"{lang} topics macro-F1",
                s["topics_macro_f1"],
                after["by_language"][lang]["topics_macro_f1"],
            )
            row(
                f"{lang} capacity macro-F1",
                s["capacity_macro_f1"],
                after["by_language"][lang]["capacity_macro_f1"],
            )
    return "\n".join(lines)
