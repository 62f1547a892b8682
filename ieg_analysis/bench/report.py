"""The benchmark result as text tables (what ``ieg bench`` prints)."""

from __future__ import annotations

import statistics

from .targets import baseline_ratios


def _row(cells: list[str], widths: list[int]) -> str:
    return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (also readable as plain text)."""
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    lines = [_row(header, widths), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += [_row([str(c) for c in row], widths) for row in rows]
    return "\n".join(lines)


def _fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(result: dict) -> str:
    out = []
    machine, db = result["machine"], result["database"]
    out.append(
        f"Machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB, Python "
        f"{machine['python']}, load average at start {machine['load_average']}.\n"
        f"Database: {db['passages']:,} passages in {db['documents']:,} documents "
        f"({db['real_passages']:,} generated, ingested and classified for real, copied "
        f"x{db['copy_factor']}); {db['megabytes']:,} MB; BM25 index over all of it "
        f"{db['search_index_seconds']:.1f} s."
    )
    rows = []
    for name, step in result["ingest"].items():
        rows.append(
            [
                f"ingest: {name}",
                _fmt(step["documents"]),
                _fmt(step["passages"]),
                _fmt(step["seconds"], 2),
                _fmt(step["documents_per_s"]),
                _fmt(step["passages_per_s"]),
                _fmt(step["index_seconds"], 2),
            ]
        )
    c = result["classify"]
    rows.append(
        [
            "classify_store",
            "–",
            _fmt(c["passages"]),
            _fmt(c["seconds"], 2),
            "–",
            _fmt(c["passages_per_s"]),
            "–",
        ]
    )
    rows.append(
        ["classifier alone (sample)", "–", "–", "–", "–", _fmt(c["model_only_passages_per_s"]), "–"]
    )
    out.append(
        table(
            ["stage", "documents", "passages", "seconds", "docs/s", "passages/s", "index s"],
            rows,
        )
    )
    baseline = result.get("baseline", {}).get("questions", {})
    rows = []
    for name, q in result["queries"].items():
        if "error" in q:
            rows.append([q["page"], name, "failed", q["error"], "", "", "", "", ""])
            continue
        b = baseline.get(name)
        kept = q.get("kept_connection") or {}
        rows.append(
            [
                q["page"],
                name,
                _fmt(q["median_ms"]),
                _fmt(q["p95_ms"]),
                _fmt(kept.get("median_ms")),
                _fmt(kept.get("p95_ms")),
                _fmt(q["rows"]),
                _fmt(b["median_ms"]) if b else "",
                _fmt(b["median_ms"] / q["median_ms"], 2) + "x" if b and q["median_ms"] else "",
            ]
        )
    out.append(
        table(
            [
                "page",
                "query",
                "median ms",
                "p95 ms",
                "kept conn. median",
                "kept conn. p95",
                "rows",
                "pandas median ms",
                "pandas/product",
            ],
            rows,
        )
    )
    if "baseline" in result:
        b = result["baseline"]
        gateway = statistics.median(baseline_ratios(result).values() or [0.0])
        kept = statistics.median(baseline_ratios(result, kept=True).values() or [0.0])
        out.append(
            f"pandas baseline: tables loaded once in {b['load_seconds']:.1f} s "
            f"({b['frames_mb']:,.0f} MB of DataFrames; peak RSS grew {b['peak_rss_growth_mb']:,} "
            "MB); every answer checked equal to the product's. Median pandas/product ratio: "
            f"{gateway:.2f}x through the gateway, {kept:.2f}x with a kept connection."
        )
    pages = (result.get("pages") or {}).get("pages")
    if pages:
        rows = [
            [
                name,
                _fmt(p["cold"]["median_ms"]),
                _fmt(p["cold"]["p95_ms"]),
                _fmt(p["warm"]["median_ms"]),
                ("; ".join(p["errors"]) or "none")[:60],
            ]
            for name, p in pages.items()
        ]
        out.append(
            table(
                ["page (AppTest)", "cold median ms", "cold p95 ms", "warm median ms", "errors"],
                rows,
            )
        )
    elif result.get("pages"):
        out.append(f"Pages: {result['pages']}")
    memory = result["memory"]
    out.append(
        "Peak RSS (MB): product stages "
        f"{memory['product']['self_mb']:,}; page renders (child) "
        f"{memory.get('pages', {}).get('self_mb', '–')}; with the pandas baseline loaded "
        f"{memory['with_baseline']['self_mb']:,}."
    )
    rows = [
        [
            t["target"],
            f"{_fmt(t['measured'])} {t['unit']}",
            f"{'≥' if t['target'].startswith(('pandas', 'class', 'ingest')) else '≤'} "
            f"{_fmt(t['limit'])} {t['unit']}",
            {True: "met", False: "MISSED", None: "not measured"}[t["met"]],
        ]
        for t in result["targets"]
    ]
    out.append(table(["target", "measured", "limit", "status"], rows))
    return "\n\n".join(out)
