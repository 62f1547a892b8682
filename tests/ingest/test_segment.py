from __future__ import annotations

from ieg_analysis.ingest.language import detect_language
from ieg_analysis.ingest.segment import segment
from ieg_analysis.records import Block


def _lines(text: str, page: int = 1) -> list[Block]:
    return [Block(line, page=page) for line in text.splitlines()]


def test_numbering_headings_and_hyphenation() -> None:
    blocks = _lines(
        "II. Legislation and frameworks\n"
        "\n"
        "1. The national law on cybercrime was adopted in 2016 and establishes the investi-\n"
        "gative powers of the police.\n"
        "2. It was amended in 2019 with States of South-\n"
        "East Asia.\n"
        "(a) A first sub-item;\n"
        "(b) A second one.\n"
    )
    passages = segment(blocks)
    assert [p.para_number for p in passages] == ["1", "2", "(a)", "(b)"]
    assert passages[0].heading == "II. Legislation and frameworks"
    assert "investigative powers" in passages[0].text
    assert passages[1].text.endswith("with States of South-East Asia.")  # not "South- East"
    assert passages[0].text.startswith("The national law")
    assert all(p.heading == "II. Legislation and frameworks" for p in passages)


def test_page_furniture_and_symbols_are_removed() -> None:
    pages = []
    topics = ("cooperation between authorities", "forensic laboratories", "awareness in schools")
    for number, topic in zip((1, 2, 3), topics, strict=True):
        pages += _lines(
            f"CTOC/COP/WG.3/2020/2\n\nThe paragraph on page {number} is about {topic}, "
            f"as reported in several regions.\n\nPage {number} of 3\nV.20-01234 (E)",
            page=number,
        )
    passages = segment(pages)
    texts = " ".join(p.text for p in passages)
    assert "CTOC/COP" not in texts
    assert "Page 2 of 3" not in texts
    assert "V.20-01234" not in texts
    assert len(passages) == 3
    assert [p.page for p in passages] == [1, 2, 3]


def test_repeated_running_headers_are_removed() -> None:
    blocks = []
    bodies = (
        "Forensic laboratories were opened.",
        "Prosecutors were trained.",
        "A new law was adopted.",
        "Awareness campaigns reached schools.",
    )
    for number, body in enumerate(bodies, start=1):
        blocks += _lines(f"Submission of a State to the fifth meeting\n\n{body}\n", page=number)
    passages = segment(blocks)
    assert len(passages) == 4
    assert all("fifth meeting" not in p.text for p in passages)


def test_docx_paragraph_blocks_keep_their_styles() -> None:
    blocks = [
        Block("Introduction", style="heading"),
        Block("12. Thanks to the Chair.", style="para"),
        Block("Body without a number.", style="para"),
    ]
    passages = segment(blocks)
    assert passages[0].para_number == "12"
    assert passages[0].heading == "Introduction"
    assert passages[1].para_number is None


def test_markdown_headings() -> None:
    passages = segment(_lines("# Prevention\n\nAwareness campaigns in schools reach pupils."))
    assert passages[0].heading == "Prevention"


def test_language_of_each_passage() -> None:
    assert detect_language("The Government has adopted a law on the protection of data.") == "en"
    assert (
        detect_language("Le Gouvernement a adopté une loi sur la protection des données.") == "fr"
    )
    assert detect_language("El Gobierno ha adoptado una ley sobre la protección de datos.") == "es"
    assert detect_language("Правительство приняло закон о защите данных.") == "ru"
    assert detect_language("政府通过了一项关于数据保护的法律。") == "zh"
    assert detect_language("اعتمدت الحكومة قانونا بشأن حماية البيانات") == "ar"
    assert detect_language("12345 --- 678") == "und"
    # none of the commonest function words, still plainly English
    text = "Angola supports closer operational cooperation between agencies through INTERPOL."
    assert detect_language(text) == "en"
    assert detect_language("Nos complace informar sobre la ley.") == "es"  # not French "nos"


def test_a_paragraph_running_over_a_page_break_stays_whole() -> None:
    blocks = _lines(
        "Written submission of a State to the fifth meeting\n\n"
        "1. The unit opened in 2019 and handled\n\n\n7",
        page=1,
    )
    blocks += [Block("", page=1, style="pagebreak")]
    blocks += _lines(
        "UNODC/CCPCJ/EG.5/2019/CRP.2\n\n412 cases in its first year.\n\n"
        "2. A second paragraph.\n\n8",
        page=2,
    )
    passages = segment(blocks)
    assert [p.text for p in passages] == [
        "The unit opened in 2019 and handled 412 cases in its first year.",
        "A second paragraph.",
    ]
    assert passages[0].heading == "Written submission of a State to the fifth meeting"


def test_a_heading_left_at_the_foot_of_a_page_heads_the_next_page() -> None:
    blocks = _lines(
        "Written submission of a State to the fifth meeting\n\n"
        "The unit opened in 2019 and handled many cases.\n\n"
        "Proposed recommendations\n\n\n7",
        page=1,
    )
    blocks += [Block("", page=1, style="pagebreak")]
    blocks += _lines("UNODC/CCPCJ/EG.5/2019/CRP.2\n\nThe State remains committed.\n\n8", page=2)
    passages = segment(blocks)
    assert [p.text for p in passages] == [
        "The unit opened in 2019 and handled many cases.",
        "The State remains committed.",
    ]
    assert passages[1].heading == "Proposed recommendations"


def test_a_short_first_line_broken_by_the_page_stays_in_its_paragraph() -> None:
    for first, rest in (
        ("The Government requested assistance from", "UNODC and INTERPOL in training judges."),
        ("In 2019 the Ministry adopted", "Guidelines on electronic evidence."),
    ):
        blocks = _lines(f"Title of the submission\n\nAn opening.\n\n{first}\n\n\n7", page=1)
        blocks += [Block("", page=1, style="pagebreak")]
        blocks += _lines(f"UNODC/CCPCJ/EG.5/2019/CRP.2\n\n{rest}\n\n8", page=2)
        texts = [p.text for p in segment(blocks)]
        assert texts == ["An opening.", f"{first} {rest}"]


def test_numbered_headings_and_questionnaire_questions_head_the_passages_below() -> None:
    blocks = _lines(
        "1. Legislation and frameworks\n\n"
        "Our cybercrime law was adopted in 2016.\n\n"
        "6.3 Awareness-raising\n\n"
        "Schools run a campaign every spring.\n\n"
        "Question 14. Have there been any recent legislative amendments in this area?\n\n"
        "Yes, the penal code was amended in 2021.\n\n"
        "Pregunta 8. ¿Qué medidas procesales existen para obtener pruebas electrónicas?\n\n"
        "La ley prevé la conservación rápida de datos.\n\n"
        "2. The unit handled 412 cases.\n\n"
        "(a) Criminalize grooming\n"
    )
    passages = segment(blocks)
    assert [(p.heading, p.text) for p in passages] == [
        ("1. Legislation and frameworks", "Our cybercrime law was adopted in 2016."),
        ("6.3 Awareness-raising", "Schools run a campaign every spring."),
        (
            "Question 14. Have there been any recent legislative amendments in this area?",
            "Yes, the penal code was amended in 2021.",
        ),
        (
            "Pregunta 8. ¿Qué medidas procesales existen para obtener pruebas electrónicas?",
            "La ley prevé la conservación rápida de datos.",
        ),
        (
            "Pregunta 8. ¿Qué medidas procesales existen para obtener pruebas electrónicas?",
            "The unit handled 412 cases.",
        ),
        (
            "Pregunta 8. ¿Qué medidas procesales existen para obtener pruebas electrónicas?",
            "Criminalize grooming",
        ),
    ]
    assert [p.para_number for p in passages][-2:] == ["2", "(a)"]


def test_short_numbered_items_and_questions_in_a_list_stay_passages() -> None:
    """A list of short numbered recommendations (or questions) without full stops, one per
    paragraph, is a list of items: none of them is taken for a heading."""
    blocks = _lines(
        "II. Criminalization\n\n"
        "1. Criminalize grooming of children online\n\n"
        "2. Adopt rules on the expedited preservation of data\n\n"
        "III. International cooperation\n\n"
        "3. Strengthen 24/7 networks\n\n"
        "Questions for discussion\n\n"
        "4. What challenges arise with cloud evidence?\n\n"
        "5. How can 24/7 networks be strengthened?\n"
    )
    passages = segment(blocks)
    assert [(p.para_number, p.heading) for p in passages] == [
        ("1", "II. Criminalization"),
        ("2", "II. Criminalization"),
        ("3", "III. International cooperation"),
        ("4", "Questions for discussion"),
        ("5", "Questions for discussion"),
    ]
