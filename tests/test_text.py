from __future__ import annotations

import pandas as pd

from ieg_analysis.analytics.explorer import SearchQuery
from ieg_analysis.export.tables import neutralise, to_csv_bytes
from ui.text import escape_markdown, highlight, highlight_spans


def test_markdown_escaping_keeps_every_character_literal() -> None:
    assert escape_markdown("<b>*x*</b> [a](b) :red[y]") == (
        r"\<b\>\*x\*\</b\> \[a\]\(b\) \:red\[y\]"
    )
    assert escape_markdown("line one\nline two") == "line one  \nline two"


def test_highlight_marks_words_and_phrases_case_insensitively() -> None:
    marked = highlight("Chain of custody and Evidence rules.", ["chain of custody", "evidence"])
    assert ":orange-background[Chain of custody]" in marked
    assert ":orange-background[Evidence]" in marked


def test_highlight_spans_marks_exactly_the_spans_and_escapes_the_rest() -> None:
    text = "La *loi* sur la cybercriminalité et le cadre juridique."
    # (1, 3) overlaps the first span, (56, 99) runs past the end: both skipped
    spans = [(39, 54), (9, 32), (0, 2), (1, 3), (56, 99)]
    marked = highlight_spans(text, spans)
    assert marked.startswith(":orange-background[La] \\*loi\\*")
    assert ":orange-background[sur la cybercriminalité]" in marked
    assert ":orange-background[cadre juridique]" in marked
    assert marked.count("orange-background") == 3
    assert highlight_spans("a <b>", []) == escape_markdown("a <b>")


def test_search_query_parsing() -> None:
    query = SearchQuery.parse('ransomware "chain of custody" training')
    assert query.words == ("ransomware", "training")
    assert query.phrases == ("chain of custody",)
    assert SearchQuery.parse("   ").empty


def test_one_letter_parts_of_a_hyphenated_word_do_not_rank() -> None:
    query = SearchQuery.parse('e-evidence "e-mail" x-ray cyber-attacks e')
    assert query.ranking_text == "evidence ray cyber-attacks e e-mail"
    assert query.highlight_terms == ("e-mail", "e-evidence", "x-ray", "cyber-attacks", "e")


def test_numbers_in_a_search_become_phrases() -> None:
    """The index keeps letters only: numbers must appear as written; a short one goes with
    the word before it; words with letters and digits stay words."""
    cases = {
        "ransomware 2017 training": (("ransomware", "training"), ("2017",)),
        "24/7 network": (("network",), ("24/7",)),
        "Article 16": (("Article",), ("Article 16",)),
        "Art. 16(2).": (("Art",), ("16(2)",)),
        "(2019) [2020] “2021” 2022.": ((), ("2019", "2020", "2021", "2022")),
        "COVID-19 G7": (("COVID-19", "G7"), ()),
        "(": ((), ()),
    }
    for text, (words, phrases) in cases.items():
        query = SearchQuery.parse(text)
        assert (query.words, query.phrases) == (words, phrases), text


def test_formula_injection_is_neutralised() -> None:
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("+1") == "'+1" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("plain") == "plain" and neutralise(3) == 3
    data = to_csv_bytes(pd.DataFrame({"text": ["-2+3", "ok"]})).decode("utf-8-sig")
    assert "'-2+3" in data


def test_a_csv_with_a_notice_carries_it_on_every_row() -> None:
    frame = pd.DataFrame({"text": ["a", "b"]})
    data = to_csv_bytes(frame, "Illustrative sample data.").decode("utf-8-sig").splitlines()
    assert data == ["notice,text", "Illustrative sample data.,a", "Illustrative sample data.,b"]
    assert list(frame.columns) == ["text"]  # the caller's frame is left alone
    assert to_csv_bytes(frame).decode("utf-8-sig").splitlines()[0] == "text"
