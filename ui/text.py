"""Document text for display: Markdown-escaped (never HTML), with search matches marked by
Streamlit's own ``:color-background[...]`` syntax. No Streamlit import: testable as is."""

from __future__ import annotations

import re

# every character that Markdown (or Streamlit's directives) could read as syntax
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=&])")


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown shows literally: every special character escaped,
    so ``<script>``, links, images, directives and HTML entities stay visible text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\r", " ")).replace("\n", "  \n")


def highlight(text: str, terms: tuple[str, ...] | list[str]) -> str:
    """Escaped text with each match of ``terms`` (a word matches its inflections by
    prefix) marked; case-insensitive."""
    patterns = []
    for term in terms:
        words = [re.escape(w) for w in term.split() if w]
        if words:
            patterns.append(r"\b" + r"\W+".join(words) + r"\w*")
    if not patterns:
        return escape_markdown(text)
    pattern = re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)
    return highlight_spans(text, [match.span() for match in pattern.finditer(text)])


def highlight_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped text with the character ``spans`` marked (overlapping or out-of-range spans
    are skipped)."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last or end > len(text) or start >= end:
            continue
        out.append(escape_markdown(text[last:start]))
        out.append(":orange-background[" + escape_markdown(text[start:end]) + "]")
        last = end
    out.append(escape_markdown(text[last:]))
    return "".join(out)
