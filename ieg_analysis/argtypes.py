"""Argument types for the command line: a count or a size that must make sense, refused by
argparse in one sentence (instead of being clamped, or failing deep inside)."""

from __future__ import annotations

import argparse
import math

# counts go into queries as 32-bit integers (LIMIT, ranks)
MAX_COUNT = 2**31 - 1


def positive_int(text: str) -> int:
    """A whole number from 1 to :data:`MAX_COUNT`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive integer") from None
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive integer up to {MAX_COUNT:,}")
    return value


def positive_number(text: str) -> float:
    """A finite number above 0 (not nan or inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number")
    return value
