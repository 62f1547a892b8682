"""Timing and memory: median and 95th percentile over repeated calls after a warm-up, and
the peak resident memory of this process and its children."""

from __future__ import annotations

import math
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Seconds per call over ``runs`` repeated calls (after ``warmup`` untimed ones)."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        return percentile(self.runs, 95)

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_ms": round(self.median * 1000, 3),
            "p95_ms": round(self.p95 * 1000, 3),
            "runs": len(self.runs),
        }


def percentile(values: tuple[float, ...] | list[float], q: float) -> float:
    """The ``q``-th percentile by the nearest-rank method (the value a run reached)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(fn: Callable[[], Any], *, repeat: int, warmup: int = 1) -> tuple[Timing, Any]:
    """Call ``fn`` ``warmup`` times untimed, then ``repeat`` times timed; return the
    timing and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    runs = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    return Timing(tuple(runs)), result


class Stopwatch:
    """``with Stopwatch() as watch: ...`` then ``watch.seconds``."""

    def __enter__(self) -> Stopwatch:
        self.started = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started


def _megabytes(maxrss: int) -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS
    return maxrss / (1_048_576 if sys.platform == "darwin" else 1024)


def peak_memory_mb() -> dict[str, float]:
    """Peak resident set size so far: this process, and the largest waited-for child."""
    return {
        "self_mb": round(_megabytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), 1),
        "children_mb": round(_megabytes(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss), 1),
    }
