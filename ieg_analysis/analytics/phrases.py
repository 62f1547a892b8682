"""Quoted phrases narrowed by the full-text index before any text is read.

A phrase matches a passage when its text, lower-cased and without accents, contains the
phrase, lower-cased and without accents (a substring: "legal" matches "illegal"). The
text is what decides; this module only finds passages that cannot match, from the words
of the phrase and the index (``search_word``, migration 013, and ``passage_postings``).

The index's tokenizer (``fts_main_passage.tokenize``) cuts the normalised text at
whitespace and at a fixed set of ASCII punctuation and digits (:data:`SEPARATORS`). Where
the phrase occurs in a text, each of its tokens lies in one token of the text: a token with
a separator on both sides within the phrase *is* a token of the text; one with a separator
only after it ends a token of the text, one with a separator only before begins one, and
a phrase without separators lies inside one. A token of the text that is not a stop word is
in ``search_word`` with the index term of its stem, and the passage has a posting for that
term. So a passage with no posting for any term of the words a token's pattern matches
cannot contain the phrase. Tokens whose pattern also matches a stop word (the index keeps
no postings for those) and phrases holding LIKE's wildcards (``%``, ``_``) narrow nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

# fts_main_passage.tokenize: regexp_replace(..., '[0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''"`-]+',
# ' ') and string_split_regex(..., '\s+') (RE2's \s: tab, newline, form feed, return, space)
SEPARATORS = frozenset("0123456789!@#$%^&*()_+={}[]:;<>,.?~\\/|'\"`-\t\n\f\r ")
_WILDCARDS = frozenset("%_")


@dataclass(frozen=True)
class TokenPattern:
    """One token of a phrase and which of its ends are separated within the phrase."""

    token: str
    starts_word: bool  # a separator precedes it in the phrase
    ends_word: bool  # a separator follows it in the phrase

    @property
    def like(self) -> str:
        """A LIKE pattern over the words of the index that the token can lie in."""
        return ("" if self.starts_word else "%") + self.token + ("" if self.ends_word else "%")


def token_patterns(normalized: str) -> tuple[TokenPattern, ...]:
    """The tokens of a phrase already lower-cased and stripped of accents as the text is
    (by DuckDB: ``strip_accents(lower(...))``); none when it holds a LIKE wildcard."""
    if _WILDCARDS & set(normalized):
        return ()
    patterns: list[TokenPattern] = []
    start = None
    for i, char in enumerate([*normalized, None]):
        if char is not None and char not in SEPARATORS:
            if start is None:
                start = i
            continue
        if start is not None:
            patterns.append(TokenPattern(normalized[start:i], start > 0, char is not None))
            start = None
    return tuple(patterns)
