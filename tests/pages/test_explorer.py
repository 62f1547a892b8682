from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "1_Explorer.py")


def _markdown(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_lists_passages_with_provenance(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    text = _markdown(app)
    assert "**3 passages** match" in text or "passages** match" in text
    assert "**Ghana**" in text and "meeting 4" in text


def test_search_highlights_and_is_kept_in_the_url(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    app.text_input[0].input("evidence").run()
    assert not app.exception
    text = _markdown(app)
    assert "**1 passage** matches" in text
    assert ":orange-background[evidence]" in text
    assert app.query_params["q"] == "evidence"


def test_a_new_search_starts_at_the_first_page(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["page"] = "2"  # a shared link to a later page keeps it
    app.run()
    assert app.query_params["page"] == "2"
    app.text_input[0].input("evidence").run()
    assert not app.exception
    assert "page" not in app.query_params


def test_a_link_reopens_the_view_and_bad_values_are_ignored(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["meeting"] = "6,99"
    app.query_params["topic"] = "prevention"
    app.run()
    assert not app.exception
    assert app.sidebar.multiselect[0].value == [6]
    assert app.sidebar.multiselect[1].value == ["prevention"]
    assert "**Chile**" in _markdown(app)
    assert "**Ghana**" not in _markdown(app)
    assert app.query_params["meeting"] == "6"  # the unknown 99 was dropped


def test_filter_change_and_empty_state(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    app.sidebar.multiselect[0].select(5).run()  # no documents at meeting 5
    assert not app.exception
    assert "No passage matches" in app.info[0].value


def test_document_view_and_unknown_document(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["doc"] = "1"
    app.run()
    assert not app.exception
    text = _markdown(app)
    assert "II\\. Legislation and frameworks" in text
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["doc"] = "999"
    app.run()
    assert not app.exception
    assert "There is no document 999" in app.error[0].value


def test_a_mixed_store_tags_only_the_sample_documents_passages(small_db) -> None:
    from ieg_analysis.store.db import Database
    from ieg_analysis.store.writer import Writer

    with Writer(Database(small_db)) as writer:
        writer.con.execute("update document set is_sample = true where source_name = 'chile.docx'")
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    heads = [m.value for m in app.markdown if m.value.startswith("**") and " · meeting " in m.value]
    chile = [h for h in heads if h.startswith("**Chile**")]
    ghana = [h for h in heads if h.startswith("**Ghana**")]
    assert chile and ghana
    assert all(h.endswith("· illustrative sample text") for h in chile)
    assert not any("illustrative sample text" in h for h in ghana)
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["doc"] = "1"  # ghana.pdf: an ingested document
    app.run()
    assert "illustrative sample text" not in app.caption[0].value + app.caption[1].value


def test_script_in_a_passage_is_shown_as_text(small_db) -> None:
    from ieg_analysis.ingest.pipeline import IngestRequest, ingest
    from ieg_analysis.settings import Settings
    from ieg_analysis.store.db import Database

    payload = (
        b"1. <script>window.pwned=1</script> and <img src=x onerror=alert(1)> "
        b"[x](javascript:alert(1))"
    )
    ingest(
        Database(small_db),
        [IngestRequest(name="x.txt", data=payload, meeting=4, submitter="Chile", kind="statement")],
        settings=Settings(db_path=small_db, model_dir=small_db.parent),
    )
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    shown = [m for m in app.markdown if "script" in m.value]
    assert shown and "\\<script\\>" in shown[0].value
    assert all(not m.allow_html for m in app.markdown if "script" in m.value)


def test_downloading_one_format_keeps_the_other_button(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    next(b for b in app.button if b.label == "Prepare the download").click().run()
    assert not app.exception
    buttons = app.get("download_button")
    assert [b.proto.label for b in buttons] == ["CSV", "Excel (XLSX)"]
    # a click must not rerun the page: the buttons exist only in the run that prepared them
    assert all(b.proto.ignore_rerun for b in buttons)


def _ingest_texts(small_db, documents: list[tuple[str, str, int]], **request) -> None:
    """Plain-text statements (submitter, text, paragraphs) added to the page's database."""
    from ieg_analysis.ingest.pipeline import IngestRequest, ingest
    from ieg_analysis.settings import Settings
    from ieg_analysis.store.db import Database

    requests = [
        IngestRequest(
            name=f"{submitter.lower().replace(' ', '-')}.txt",
            data="\n\n".join(f"{n}. {text} Paragraph {n}." for n in range(1, count + 1)).encode(),
            meeting=4,
            submitter=submitter,
            kind="statement",
            **request,
        )
        for submitter, text, count in documents
    ]
    report = ingest(
        Database(small_db),
        requests,
        settings=Settings(db_path=small_db, model_dir=small_db.parent),
    )
    assert report.exit_code == 0, report.outcomes


def test_the_pager_says_how_many_pages_and_is_repeated_under_the_list(small_db) -> None:
    _ingest_texts(small_db, [("Chile", "Judges need training.", 25)])
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    assert app.number_input[0].label == "Page (of 2; 20 passages a page)"
    previous, following = app.button(key="explorer_previous"), app.button(key="explorer_next")
    assert previous.disabled and not following.disabled
    assert "Page 1 of 2" in [c.value for c in app.caption]
    following.click().run()  # under the list: the same page state, kept in the link
    assert not app.exception
    assert app.query_params["page"] == "2"
    assert app.number_input[0].value == 2
    assert app.button(key="explorer_next").disabled
    assert "Page 2 of 2" in [c.value for c in app.caption]
    app.button(key="explorer_previous").click().run()
    assert app.query_params["page"] == "1"
    assert app.number_input[0].value == 1


def test_a_single_page_has_no_pager_under_the_list(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    assert app.number_input[0].label == "Page (of 1; 20 passages a page)"
    assert not [b for b in app.button if b.key in ("explorer_previous", "explorer_next")]


def test_names_the_states_the_matches_come_from(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    line = next(m.value for m in app.markdown if m.value.startswith("From **"))
    assert line == "From **2 States** (most passages first): Ghana, Chile"
    app.text_input[0].input("evidence").run()
    line = next(m.value for m in app.markdown if m.value.startswith("From **"))
    assert line == "From **1 State**: Ghana"


def test_names_twelve_states_and_counts_the_rest(small_db) -> None:
    states = [
        "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia",
        "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belgium",
    ]  # fmt: skip
    # each text its own (a document already stored is not stored again)
    _ingest_texts(small_db, [(state, f"Ransomware cases rise in {state}.", 1) for state in states])
    _ingest_texts(
        small_db, [("Council of Europe", "Ransomware guidance.", 1)], actor_type="organization"
    )
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["q"] = "ransomware"
    app.run()
    assert not app.exception
    line = next(m.value for m in app.markdown if m.value.startswith("From **"))
    assert line.startswith("From **14 States** (most passages first): ")
    assert line.endswith(" and 2 more; and 1 other submitter (Organization)")
    assert line.count(", ") == 11  # twelve named
