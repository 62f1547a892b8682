"""Server-side render time of every page, with Streamlit's ``AppTest``: run by ``ieg bench``
in a child process (the package itself never imports Streamlit), over the database named by
``--db``. Prints JSON: per page, cold renders (caches cleared first, as after an ingest or
for a view nobody has opened) and warm renders (the page's ``st.cache_data`` answers reused).

    python -m ui.page_timing --db PATH [--repeat K] [--document ID] [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# every page in its default view, plus the explorer's search and document views
VARIANTS = {
    "1_Explorer.py": (
        ("Explorer: search", {"q": "electronic evidence", "meeting": "5"}),
        ("Explorer: document", {"doc": None}),
    )
}


def pages() -> list[tuple[str, str, dict]]:
    found = []
    for path in sorted((ROOT / "pages").glob("*.py"), key=lambda p: int(p.name.split("_")[0] or 0)):
        name = path.stem.split("_", 1)[-1].replace("_", " ")
        found.append((name, path.name, {}))
        found += [(label, path.name, params) for label, params in VARIANTS.get(path.name, ())]
    return found


def _render(page: str, params: dict[str, str], timeout: float) -> tuple[float, list[str]]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=timeout)
    for key, value in params.items():
        app.query_params[key] = value
    started = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - started
    errors = [str(e.message) for e in app.exception]
    return seconds, errors


def _summary(runs: list[float]) -> dict:
    ordered = sorted(runs)
    p95 = ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
    return {
        "median_ms": round(statistics.median(runs) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "runs": len(runs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--document", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--output", help="write the JSON here (default: standard output)")
    args = parser.parse_args(argv)
    os.environ["IEG_DB"] = args.db
    import streamlit as st

    results = {}
    # one untimed run first: imports (Plotly, pandas styling) are not the page's cost
    listed = pages()
    _render(listed[0][1], {}, args.timeout)
    for name, page, params in listed:
        params = {k: (str(args.document) if v is None else v) for k, v in params.items()}
        cold, warm, errors = [], [], []
        for _ in range(max(1, args.repeat)):
            st.cache_data.clear()
            seconds, problems = _render(page, params, args.timeout)
            cold.append(seconds)
            errors += problems
            seconds, problems = _render(page, params, args.timeout)
            warm.append(seconds)
            errors += problems
        results[name] = {
            "page": page,
            "params": params,
            "cold": _summary(cold),
            "warm": _summary(warm),
            "errors": sorted(set(errors))[:5],
        }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"pages": results, "peak_rss_mb": round(peak, 1)}
    if args.output:
        Path(args.output).write_text(json.dumps(report), encoding="utf-8")
    else:
        json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
