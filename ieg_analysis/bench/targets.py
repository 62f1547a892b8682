"""The targets of issue 6 (one million passages, 2 cores, 24 GB), checked against a result."""

from __future__ import annotations

import statistics

QUERY_P95_MS = 100.0
PAGE_RENDER_S = 1.5
BASELINE_RATIO = 10.0
CLASSIFY_PER_S = 5_000.0
INGEST_PER_S = 2_000.0
PEAK_MEMORY_MB = 2_048.0
DATABASE_MB = 1_536.0
DIAGNOSTIC = "gateway: select 1"  # the read gateway's fixed cost, not a page's question


def _target(name: str, measured: float | None, limit: float, *, at_least: bool, unit: str):
    if measured is None:
        return {"target": name, "measured": None, "limit": limit, "unit": unit, "met": None}
    met = measured >= limit if at_least else measured <= limit
    factor = measured / limit if at_least else limit / measured if measured else None
    return {
        "target": name,
        "measured": round(measured, 1),
        "limit": limit,
        "unit": unit,
        "met": bool(met),
        "ratio_to_limit": round(factor, 3) if factor else None,
    }


def baseline_ratios(result: dict, *, kept: bool = False) -> dict[str, float]:
    """Per baseline question: pandas median / product median (through the gateway, or
    through one kept connection)."""
    ratios = {}
    for name, q in result.get("baseline", {}).get("questions", {}).items():
        product = result.get("queries", {}).get(name, {})
        if kept:
            product = product.get("kept_connection") or {}
        if product.get("median_ms"):
            ratios[name] = q["median_ms"] / product["median_ms"]
    return ratios


def evaluate(result: dict) -> list[dict]:
    queries = {k: v for k, v in result.get("queries", {}).items() if k != DIAGNOSTIC}
    failed = [q for q in queries.values() if "error" in q]
    worst = max((q["p95_ms"] for q in queries.values() if "error" not in q), default=None)
    if failed:  # a query stopped at the gateway's time limit took at least that long
        worst = max(worst or 0.0, 20_000.0)
    pages = (result.get("pages") or {}).get("pages") or {}
    slowest = max((p["cold"]["median_ms"] / 1000 for p in pages.values()), default=None)
    ratios = list(baseline_ratios(result).values())
    ingest = result.get("ingest", {})
    product_ingest = (ingest.get("product") or {}).get("passages_per_s")
    memory = result.get("memory", {})
    peak = max(
        memory.get("product", {}).get("self_mb", 0.0),
        memory.get("pages", {}).get("self_mb") or 0.0,
    )
    return [
        _target("every analytics query p95", worst, QUERY_P95_MS, at_least=False, unit="ms"),
        _target(
            "every page's server render (cold median)",
            slowest,
            PAGE_RENDER_S,
            at_least=False,
            unit="s",
        ),
        _target(
            "pandas baseline / product, median over questions",
            statistics.median(ratios) if ratios else None,
            BASELINE_RATIO,
            at_least=True,
            unit="x",
        ),
        _target(
            "classification throughput",
            result.get("classify", {}).get("passages_per_s"),
            CLASSIFY_PER_S,
            at_least=True,
            unit="passages/s",
        ),
        _target(
            "ingest throughput (product path)",
            product_ingest,
            INGEST_PER_S,
            at_least=True,
            unit="passages/s",
        ),
        _target("peak resident memory", peak or None, PEAK_MEMORY_MB, at_least=False, unit="MB"),
        _target(
            "database file size",
            result.get("database", {}).get("megabytes"),
            DATABASE_MB,
            at_least=False,
            unit="MB",
        ),
    ]
