"""``ieg bench`` at a tiny size: the benchmark's correctness (the pandas baseline equals the
product on every question, the JSON has every section), never its timings."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from ieg_analysis.bench.compare import assert_same
from ieg_analysis.bench.measure import percentile, timed
from ieg_analysis.bench.report import render
from ieg_analysis.bench.targets import evaluate
from ieg_analysis.cli import main

TARGETS = {
    "every analytics query p95",
    "every page's server render (cold median)",
    "pandas baseline / product, median over questions",
    "classification throughput",
    "ingest throughput (product path)",
    "peak resident memory",
    "database file size",
}
BASELINE_QUESTIONS = {
    "topic_distribution (meeting)",
    "needs_matrix",
    "priority_table",
    "coverage",
    "subtheme_gaps",
    "search_passages (filters, page 3)",
    "document_passages",
}


def test_assert_same_accepts_equal_answers_and_refuses_different_ones() -> None:
    product = pd.DataFrame({"a": [1, 2], "names": [["x"], []], "s": ["p", None]})
    same = pd.DataFrame({"a": [1.0, 2.0], "names": [("x",), ()], "s": ["p", float("nan")]})
    assert_same(product, same)
    with pytest.raises(AssertionError):
        assert_same(product, same.assign(a=[1, 3]))
    with pytest.raises(AssertionError):
        assert_same(product, same[["names", "a", "s"]])
    with pytest.raises(AssertionError):
        assert_same(product, same.iloc[::-1])


@pytest.mark.parametrize(("q", "expected"), [(50, 2.0), (95, 4.0), (100, 4.0), (1, 1.0)])
def test_percentile_is_a_value_a_run_reached(q: float, expected: float) -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], q) == expected


def test_timed_warms_up_then_times_each_run() -> None:
    calls = []
    timing, result = timed(lambda: calls.append(1) or len(calls), repeat=3, warmup=2)
    assert len(timing.runs) == 3 and len(calls) == 5 and result == 5
    assert set(timing.as_dict()) == {"median_ms", "p95_ms", "runs"}


def test_targets_say_which_are_missed_and_by_how_much() -> None:
    result = {
        "queries": {"q": {"median_ms": 10.0, "p95_ms": 250.0}},
        "baseline": {"questions": {"q": {"median_ms": 200.0}}},
        "classify": {"passages_per_s": 2_500.0},
        "ingest": {"product": {"passages_per_s": 4_000.0}},
        "memory": {"product": {"self_mb": 900.0}},
        "database": {"megabytes": 100.0},
    }
    targets = {t["target"]: t for t in evaluate(result)}
    assert set(targets) == TARGETS
    assert targets["every analytics query p95"]["met"] is False
    assert targets["every analytics query p95"]["ratio_to_limit"] == 0.4
    assert targets["pandas baseline / product, median over questions"]["measured"] == 20.0
    assert targets["classification throughput"]["met"] is False
    assert targets["ingest throughput (product path)"]["met"] is True
    assert targets["every page's server render (cold median)"]["met"] is None


@pytest.mark.slow
def test_bench_at_a_tiny_size_checks_the_baseline_and_writes_json(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    out = io.StringIO()
    code = main(
        [
            "bench",
            "--passages", "1200",
            "--base-passages", "600",
            "--product-ingest-documents", "3",
            "--repeat", "1",
            "--page-repeat", "1",
            "--keep", str(tmp_path / "work"),
            "--output", str(output),
        ],
        out=out,
    )  # fmt: skip
    assert code == 0
    result = json.loads(output.read_text(encoding="utf-8"))
    assert {"config", "machine", "corpus", "ingest", "classify", "database", "arguments",
            "queries", "memory", "pages", "baseline", "targets"} <= set(result)  # fmt: skip
    database = result["database"]
    assert database["copy_factor"] == 2 and database["passages"] > database["real_passages"]
    assert result["ingest"]["slice"]["documents"] == 3
    assert result["ingest"]["product"]["refused"] == 0
    assert result["ingest"]["product"]["documents"] == result["corpus"]["documents"]
    assert result["classify"]["passages"] == database["real_passages"]
    # every baseline question was answered and found equal to the product's answer
    questions = result["baseline"]["questions"]
    assert set(questions) == BASELINE_QUESTIONS
    assert all(q["equal"] and q["runs"] == 1 for q in questions.values())
    assert all(name in result["queries"] for name in questions)
    for query in result["queries"].values():
        assert {"page", "median_ms", "p95_ms", "runs", "rows"} <= set(query)
    assert "pages" in result["pages"], result["pages"]
    pages = result["pages"]["pages"]
    assert len(pages) == len(list((Path(__file__).parents[1] / "pages").glob("*.py"))) + 2
    assert all(not page["errors"] for page in pages.values()), pages
    assert {t["target"] for t in result["targets"]} == TARGETS
    assert "pandas/product" in out.getvalue()
    assert render(result) in out.getvalue()


def test_a_replicated_database_still_takes_new_documents(db, reference) -> None:
    """The copies take explicit ids; the document id sequence is moved past them."""
    from ieg_analysis.bench.replicate import replicate
    from ieg_analysis.records import Actor, DocumentMeta, ParsedDocument, PassageDraft
    from ieg_analysis.store.writer import Writer

    def document(name: str) -> ParsedDocument:
        return ParsedDocument(
            source_name=f"{name}.txt",
            source_format="txt",
            content_hash=name,
            meta=DocumentMeta(
                meeting=5, actor=Actor("Ghana", "member_state", "GHA"), kind="statement"
            ),
            passages=[PassageDraft(1, None, "1", f"Text of {name}.", "en")],
            language="en",
        )

    with Writer(db) as writer:
        writer.sync_reference(reference)
        writer.add_document(document("a"))
        writer.add_document(document("b"))
    assert replicate(db, 4) == 8
    with Writer(db) as writer:
        writer.add_documents([document("c"), document("d")])
        writer.add_document(document("e"))
    assert db.scalar("select count(distinct id) from document") == 11
