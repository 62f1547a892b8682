"""Fonts for the PDF exports: a Unicode TrueType font where the system has one (DejaVu
Sans or Liberation Sans, installed with Chromium on Debian), else the core Helvetica with
the text folded to Latin-1 (accents kept, other characters approximated)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF

_CANDIDATES = (
    (
        "DejaVu",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    ),
    (
        "Liberation",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf",
    ),
)
_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u00b7": "-",
}


class DocumentPDF(FPDF):
    """An FPDF with one font family for everything, Unicode when possible."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = "Helvetica"
        self.unicode = False
        for family, regular, bold, italic in _CANDIDATES:
            if all(Path(p).is_file() for p in (regular, bold, italic)):
                self.add_font(family, "", regular)
                self.add_font(family, "B", bold)
                self.add_font(family, "I", italic)
                self.family, self.unicode = family, True
                break

    def use(self, style: str = "", size: float = 10) -> None:
        self.set_font(self.family, style, size)

    def clean(self, text: object) -> str:
        value = str(text)
        if self.unicode:
            return value
        out = []
        for ch in value:
            ch = _REPLACEMENTS.get(ch, ch)
            try:
                ch.encode("latin-1")
            except UnicodeEncodeError:
                ch = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode()
            out.append(ch)
        return "".join(out)
