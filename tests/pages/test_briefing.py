from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "5_Briefing.py")


def _add(app: AppTest, chart: str) -> AppTest:
    app.selectbox(key="briefing_choice").set_value(chart)
    return app.button[0].click().run()


def test_empty_pack_then_charts_added_reordered_and_removed(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    assert "The pack is empty" in app.info[0].value
    _add(app, "topics.distribution")
    _add(app, "recommendations.outcomes")
    assert not app.exception
    headers = [h.value for h in app.subheader]
    assert headers[0].startswith("1. Topics and the model")
    assert headers[1].startswith("2. Recommendation coverage")
    assert len(app.get("plotly_chart")) == 2
    assert any(c.value.startswith("Data as of") for c in app.caption)  # provenance
    app.button(key="b2_up").click().run()  # the second chart moves up
    headers = [h.value for h in app.subheader]
    assert headers[0].startswith("1. Recommendation coverage")
    app.button(key="b1_drop").click().run()
    assert [h.value for h in app.subheader] == [headers[0]]
    labels = [b.label for b in app.get("download_button")]
    assert {"PNG image", "SVG image", "Data (CSV)", "Data (XLSX)", "PowerPoint (PPTX)"} <= set(
        labels
    )
    assert "Word (DOCX)" in labels  # the compilation of the default meeting (4)


def test_a_chart_without_data_says_so(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["state"] = "VAT"  # the Holy See submitted nothing
    app.run()
    _add(app, "capacity.heatmap")
    assert not app.exception
    assert any("Nothing to show" in info.value for info in app.info)
    assert not app.get("plotly_chart")
    assert "Add at least one chart" in "\n".join(c.value for c in app.caption)


def test_a_meeting_without_submissions_has_no_compilation(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    app.selectbox(key="briefing_meeting").set_value(7).run()
    assert not app.exception
    assert any("nothing to compile" in info.value for info in app.info)


def test_the_compilation_follows_the_sidebar_meeting(small_db) -> None:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert app.selectbox(key="briefing_meeting").value == 4
    app.selectbox(key="briefing_meeting").set_value(6).run()
    assert app.selectbox(key="briefing_meeting").value == 6  # the user's pick stays
    app.multiselect(key="f_meetings").set_value([5]).run()
    assert not app.exception and not app.warning
    assert app.selectbox(key="briefing_meeting").value == 5
