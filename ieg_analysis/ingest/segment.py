"""Blocks of text to passages: paragraphs in reading order, UN numbering kept, headings
attached to the passages under them, page furniture removed, hyphenation undone.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from ..records import Block, PassageDraft
from .language import detect_language

PARA_NUMBER = re.compile(r"^(\d{1,3})\.\s+(?=\S)")
SUB_ITEM = re.compile(r"^\(([a-z]{1,2}|[ivx]{1,5})\)\s+(?=\S)")
ROMAN_HEADING = re.compile(r"^(?:[IVXL]{1,6}|[A-H])\.\s+\S")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
# the number or label of a heading on a line of its own ("1. Legislation", "6.3 Awareness",
# "C.1", "Part V.", "Section 3 -") or of a questionnaire's question ("Question 14.", "Q4:",
# "Pregunta 8.", "Rubrique 1 —")
LABELLED_HEADING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}\.|[A-H]\.\d{1,2}(?:\.\d{1,2})*\.?"
    r"|(?:question|q|pregunta|rubrique|section|secci[oó]n|part|partie|parte|chapter|chapitre"
    r"|cap[ií]tulo)\s*[\dIVXLA-H]{1,4}\b[.:)]?(?:\s*[-–—:])?)\s*(?=\S)",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page|p\.|página|pág\.)?\s*\d{1,4}\s*(?:(?:of|/|de|sur)\s*\d{1,4})?"
    r"\s*(?:[-–—])?\s*$",
    re.IGNORECASE,
)
# UN document symbols (CTOC/COP/WG.3/2020/2, UNODC/CCPCJ/EG.4/2018/CRP.1) and job numbers
# (V.18-01234 (E)), alone on a line, possibly with a page number or date beside them
DOC_SYMBOL = re.compile(
    r"^\s*(?:[A-Z]{2,}(?:/[A-Za-z0-9.\-]+){2,}|[A-Z]\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?)"
    r"(?:\s+.{0,60})?$"
)
_TERMINAL = (".", ";", ":", ",", "?", "!")
_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")


@dataclass
class _Paragraph:
    lines: list[str]
    page: int | None
    heading_style: bool = False


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", line.strip().lower())


def _page_furniture(blocks: list[Block]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    pages: dict[int, list[str]] = {}
    for block in blocks:
        if block.style == "line" and block.page is not None and block.text.strip():
            pages.setdefault(block.page, []).append(block.text)
    if len(pages) < 2:
        return set()
    counts: Counter = Counter()
    for lines in pages.values():
        edge = {_furniture_key(line) for line in lines[:2] + lines[-2:] if len(line.strip()) <= 90}
        counts.update(edge)
    return {key for key, n in counts.items() if n >= max(2, len(pages) // 2)}


def _is_noise(line: str, furniture: set[str]) -> bool:
    stripped = line.strip()
    return bool(
        PAGE_NUMBER.match(stripped)
        or DOC_SYMBOL.match(stripped)
        or (furniture and _furniture_key(stripped) in furniture)
    )


def _starts_item(text: str) -> bool:
    """Whether a line starts a numbered, lettered or labelled item or a heading."""
    return bool(
        PARA_NUMBER.match(text)
        or SUB_ITEM.match(text)
        or LABELLED_HEADING.match(text)
        or ROMAN_HEADING.match(text)
        or MARKDOWN_HEADING.match(text)
    )


def _ordinary(line: str | None) -> bool:
    """Whether a paragraph's first line reads as running text: not an item or a heading, and
    a sentence or a line as long as those of running text."""
    if not line or _starts_item(line):
        return False
    return line.endswith(_TERMINAL) or len(line) > 60


def _labelled_heading(text: str, following: str | None) -> bool:
    """A numbered or labelled line of its own that is a heading, not a numbered paragraph:
    a few words without a full stop ("1. Legislation and frameworks"), or a question (in a
    questionnaire reply the answers below it are the passages, under it as their heading).
    Only when ordinary text follows: a numbered line followed by another numbered line (a list
    of short recommendations, of questions) or by nothing is an item, not a heading."""
    label = LABELLED_HEADING.match(text)
    if label is None or not _ordinary(following):
        return False
    rest = text[label.end() :]
    if text.endswith("?"):
        return len(text) <= 300
    return not text.endswith(_TERMINAL) and len(rest.split()) <= 10 and rest[:1].isupper()


def _looks_like_heading(line: str, *, isolated: bool, following: str | None = None) -> bool:
    """Whether ``line`` is a heading; ``isolated``: alone between blank lines, with
    ``following`` the first line of the next paragraph (None at the end)."""
    text = line.strip()
    if not text or SUB_ITEM.match(text):
        return False
    if isolated and _labelled_heading(text, following):
        return True
    if len(text) > 120 or PARA_NUMBER.match(text):
        return False
    if MARKDOWN_HEADING.match(text):
        return True
    if text.endswith(_TERMINAL):
        return False
    if ROMAN_HEADING.match(text):
        return True
    return isolated and len(text) <= 90 and text[0].isupper() and len(text.split()) <= 14


@functools.lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """English, French and Spanish stop words: what a title does not end with, and a line
    broken off a sentence often does ("requested assistance from")."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.es.stop_words import STOP_WORDS as SPANISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    return frozenset(ENGLISH | FRENCH | SPANISH)


def _foot_of_page_heading(text: str, after: str | None) -> bool:
    """Whether a line alone at the foot of a page is a heading: a short title (a paragraph's
    first line runs the width of the page) without figures, not ending in a function word,
    followed on the next page by a new sentence or a numbered paragraph. (The first line of
    a short paragraph broken by the page, "The Government requested assistance from" over
    "UNODC and INTERPOL ...", stays a paragraph.)"""
    stripped = text.strip()
    words = stripped.split()
    return (
        len(stripped) <= 60
        and 0 < len(words) <= 8
        and not _DIGITS.search(stripped)
        and words[-1].lower().strip(",;:") not in _function_words()
        and after is not None
        and (after[:1].isupper() or bool(PARA_NUMBER.match(after)))
    )


def _join_lines(lines: list[str]) -> str:
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-") and _LETTER.match(text[-2:-1]) and line[:1].islower():
            text = text[:-1] + line  # a word hyphenated across lines
        elif text.endswith("-") and _LETTER.match(text[-2:-1]) and line[:1].isupper():
            text += line  # a compound broken at its own hyphen: "South-" + "East Asia"
        else:
            text = f"{text} {line}"
    return _SPACES.sub(" ", text).strip()


def _clean_pages(blocks: list[Block]) -> list[Block]:
    """Drop page furniture, and the blank lines at the top and bottom of each page, so that a
    paragraph running over a page break stays one paragraph. Pages are separated by a
    ``pagebreak`` block."""
    furniture = _page_furniture(blocks)
    pages: list[list[Block]] = []
    last_page: object = object()
    for block in blocks:
        if block.style == "line" and _is_noise(block.text, furniture):
            continue
        if block.page != last_page or block.style == "pagebreak":
            pages.append([])
            last_page = block.page
        if block.style != "pagebreak":
            pages[-1].append(block)
    cleaned: list[Block] = []
    for page in pages:
        while page and not page[0].text.strip():
            page.pop(0)
        while page and not page[-1].text.strip():
            page.pop()
        if page:
            if cleaned:
                cleaned.append(Block("", page=page[0].page, style="pagebreak"))
            cleaned.extend(page)
    return cleaned


def _paragraphs(blocks: list[Block]) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    lines = _clean_pages(blocks)

    def close() -> None:
        nonlocal current
        if current and any(line.strip() for line in current.lines):
            paragraphs.append(current)
        current = None

    for index, block in enumerate(lines):
        text = block.text.rstrip()
        if block.style == "pagebreak":
            # a paragraph whose last line ends a sentence ends with its page
            following = next((b.text.strip() for b in lines[index + 1 :] if b.text.strip()), "")
            if current and not following[:1].islower():
                if current.heading_style or current.lines[-1].strip().endswith(
                    (".", ";", ":", "!", "?", ")")
                ):
                    close()  # (or a heading at the foot of the page: see below)
            continue
        if block.style in ("para", "heading"):
            close()
            if text.strip():
                paragraphs.append(_Paragraph([text], block.page, block.style == "heading"))
            continue
        if not text.strip() or block.style == "blank":
            close()
            continue
        stripped = text.strip()
        starts_item = bool(PARA_NUMBER.match(stripped) or SUB_ITEM.match(stripped))
        if (MARKDOWN_HEADING.match(stripped) or ROMAN_HEADING.match(stripped)) and (
            _looks_like_heading(text, isolated=False)
        ):
            close()
            paragraphs.append(_Paragraph([text], block.page, True))
            continue
        if starts_item:
            close()
        if current is None:
            current = _Paragraph([], block.page)
        current.lines.append(text)
        # a line that ends its page is not a heading of its own (the paragraph may go on),
        # unless it is a short title over a new sentence: a heading left at the foot of a page
        following = lines[index + 1] if index + 1 < len(lines) else None
        ends_page = following is not None and following.style == "pagebreak"
        next_blank = following is None or (not ends_page and not following.text.strip())
        if len(current.lines) == 1 and (next_blank or ends_page):
            prev_blank = index == 0 or not lines[index - 1].text.strip()
            if prev_blank:
                rest = itertools.islice(lines, index + 1, None)  # no copy of the rest
                after = next((b.text.strip() for b in rest if b.text.strip()), None)
                if _looks_like_heading(text, isolated=True, following=after) and (
                    next_blank or _foot_of_page_heading(text, after)
                ):
                    current.heading_style = True
    close()
    if paragraphs and not paragraphs[0].heading_style:
        first = _join_lines(paragraphs[0].lines)
        if len(first) <= 200 and not first.endswith(_TERMINAL) and not _split_number(first)[0]:
            paragraphs[0].heading_style = True  # the document's title
    return paragraphs


def _split_number(text: str) -> tuple[str | None, str]:
    for pattern, fmt in ((PARA_NUMBER, "{}"), (SUB_ITEM, "({})")):
        match = pattern.match(text)
        if match:
            return fmt.format(match.group(1)), text[match.end() :].strip()
    return None, text


def segment(
    blocks: list[Block] | tuple[Block, ...], *, default_language: str = "und"
) -> list[PassageDraft]:
    """Passages of a document, in order, each under the nearest heading above it."""
    passages: list[PassageDraft] = []
    heading: str | None = None
    for paragraph in _paragraphs(list(blocks)):
        text = _join_lines(paragraph.lines)
        if paragraph.heading_style or (len(paragraph.lines) == 1 and MARKDOWN_HEADING.match(text)):
            heading = MARKDOWN_HEADING.sub("", text).strip() or heading
            continue
        number, body = _split_number(text)
        if not body:
            continue
        passages.append(
            PassageDraft(
                seq=len(passages) + 1,
                heading=heading,
                para_number=number,
                text=body,
                language=detect_language(body, default=default_language),
                page=paragraph.page,
            )
        )
    return passages
