"""Language of a passage among the six UN languages: ar, en, es, fr, ru, zh.

Arabic, Chinese and Russian are told apart by script; English, French and Spanish by the
share of each language's function words, which is reliable from one sentence on. Text with
no letters is "und" (undetermined).
"""

from __future__ import annotations

import re
from collections import Counter

UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")

_FUNCTION_WORDS = {
    "en": set(
        "the of and to in is that for on with as by this are be was it from has have its which "
        "or an at not their been were also these such should other will would under all "
        "between through our we into within including can more than".split()
    ),
    "fr": set(
        "le la les des du de et en un une est que qui dans pour par sur au aux ce cette ses sont "
        "ont été il elle pas ou plus leur leurs avec comme d l qu nous notre à aussi".split()
    ),
    "es": set(
        "el la los las del de y en un una es que por para con se su sus al como ha han fue son "
        "lo este esta estos nuestro nuestra también entre sobre nuestros nuestras mediante".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FR_MARKS = re.compile(r"[èêàùç]|\b(?:l|d|qu)'")
_ES_MARKS = re.compile(r"[ñ¿¡]|ción\b")
_FIRST_OTHER_SCRIPT = "\u0400"  # below it, no character counts for Arabic, Chinese or Russian


def _script_of(ch: str) -> str | None:
    code = ord(ch)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "ar"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F:
        return "zh"
    if 0x0400 <= code <= 0x04FF:
        return "ru"
    if ch.isalpha():
        return "latin"
    return None


_SCRIPT_OF: dict[str, str | None] = {}  # characters' scripts, each classified once


def _script_counts(text: str) -> Counter:
    """Characters per script. A passage has a few dozen distinct characters, so they are
    counted first (in C) and each distinct one is classified once."""
    counts: Counter = Counter()
    script_of = _SCRIPT_OF
    for ch, n in Counter(text).items():
        script = script_of.get(ch, "")
        if script == "":
            script = _script_of(ch)
            if len(script_of) < 65_536:  # bounded, whatever the input
                script_of[ch] = script
        if script is not None:
            counts[script] += n
    return counts


def detect_language(text: str, *, default: str = "und") -> str:
    """The UN language ``text`` is written in, or ``default`` when it cannot be told."""
    if not text:
        return default
    if max(text) < _FIRST_OTHER_SCRIPT:  # Latin letters only (the common case): no counting
        if not any(map(str.isalpha, text)):
            return default
    else:
        scripts = _script_counts(text)
        if not scripts:
            return default
        script, _ = scripts.most_common(1)[0]
        if script != "latin":
            return script
    lowered = text.lower()
    if text.isascii():  # lowering first splits the words the same way, and no accents
        words = Counter(_WORD.findall(lowered))
        french = len(_FR_MARKS.findall(lowered)) if "'" in lowered else 0
        spanish = 0
    else:
        words = Counter(w.lower() for w in _WORD.findall(text))
        french = len(_FR_MARKS.findall(lowered))
        spanish = len(_ES_MARKS.findall(lowered))
    scores = {
        lang: sum(words[w] for w in words.keys() & vocab) for lang, vocab in _FUNCTION_WORDS.items()
    }
    # accents that only one of the three uses tip close calls
    scores["fr"] += 2 * french
    scores["es"] += 2 * spanish
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    if scores[best] == 0:
        return default
    return best


def dominant_language(languages: list[str]) -> str | None:
    known = [lang for lang in languages if lang != "und"]
    if not known:
        return None
    return Counter(known).most_common(1)[0][0]
