"""The Recommendation coverage page, driven by AppTest on the small labelled database."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "3_Recommendations.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60)


def _table(app: AppTest):
    return app.dataframe[-1].value


def test_renders_outcomes_coverage_and_the_table(small_db) -> None:
    app = _app().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Recommendations"] == "2"
    assert metrics["Pending"] == "2"
    assert len(app.get("plotly_chart")) == 2  # outcomes and coverage
    # no terms matched yet (the stand-in labeller matches none): the page says so
    assert any("No vocabulary terms" in info.value for info in app.info)
    table = _table(app)
    assert list(table["reference"]) == ["4.1", "4.2"]
    assert not app.warning  # real documents: no sample banner


def test_table_search_and_its_empty_state(small_db) -> None:
    app = _app().run()
    app.text_input[0].set_value("ransomware").run()
    assert not app.exception
    assert list(_table(app)["reference"]) == ["4.2"]
    app.text_input[0].set_value("no such words anywhere").run()
    assert any("No recommendation matches" in info.value for info in app.info)


def test_outcome_and_disagreement_filters(small_db) -> None:
    app = _app().run()
    outcome = next(m for m in app.main.multiselect if m.label == "Outcome")
    outcome.set_value(["adopted"]).run()
    assert any("No recommendation matches" in info.value for info in app.info)
    outcome.set_value([]).run()
    app.checkbox[-1].check().run()  # only disagreements: the stand-in agrees with both
    assert not app.exception
    assert any("No recommendation matches" in info.value for info in app.info)


def test_a_meeting_filter_change_empties_the_outcomes(small_db) -> None:
    app = _app().run()
    app.sidebar.multiselect[0].set_value([6]).run()
    assert not app.exception
    assert app.query_params["meeting"] == "6"
    assert any("No recommendation in the chosen meetings" in info.value for info in app.info)


def test_a_link_reopens_the_view(small_db) -> None:
    app = _app()
    app.query_params["topic"] = "criminalization"
    app.run()
    assert not app.exception
    assert app.sidebar.multiselect[1].value == ["criminalization"]
    assert list(_table(app)["reference"]) == ["4.2"]


def test_an_empty_database_says_how_to_add_recommendations(tmp_path, monkeypatch) -> None:
    import streamlit as st

    from ieg_analysis.sample.database import create_database
    from ieg_analysis.settings import Settings

    path = tmp_path / "empty.duckdb"
    create_database(path, Settings(db_path=path, model_dir=tmp_path), sample=False)
    monkeypatch.setenv("IEG_DB", str(path))
    st.cache_resource.clear()
    app = _app().run()
    assert not app.exception
    assert "No recommendations are stored yet" in app.info[0].value
    st.cache_resource.clear()


def test_no_passages_names_the_filters_that_are_set(small_db) -> None:
    app = _app().run()
    app.sidebar.multiselect[0].set_value([5]).run()  # meeting 5 received nothing
    assert not app.exception
    assert any(
        "No submission passage matches these filters (meeting 5)" in info.value for info in app.info
    )


def test_recommendations_without_any_submission_say_so(tmp_path, monkeypatch) -> None:
    import streamlit as st

    from ieg_analysis.sample.database import create_database
    from ieg_analysis.settings import Settings
    from tests.consolidation.conftest import build_recommendation_db

    path = tmp_path / "recs.duckdb"
    create_database(path, Settings(db_path=path, model_dir=tmp_path), sample=False)
    build_recommendation_db(path)
    monkeypatch.setenv("IEG_DB", str(path))
    st.cache_resource.clear()
    app = _app().run()
    assert not app.exception
    assert any("No submission passage is stored yet" in info.value for info in app.info)
    st.cache_resource.clear()
