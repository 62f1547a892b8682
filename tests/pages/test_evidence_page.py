"""The Recommendation evidence page, driven by AppTest on the small labelled database: the
recommendation to criminalize ransomware finds Ghana's law that criminalizes illegal
access; the one on awareness finds nothing before its meeting."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "10_Evidence.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60)


def _titles(app: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]


def _pick(app: AppTest, reference: str) -> AppTest:
    box = app.selectbox(key="ev_recommendation")
    box.set_value(next(o for o in box.options if o.startswith(reference)))
    return app.run()


def test_evidence_of_a_recommendation_and_the_representation(small_db) -> None:
    app = _pick(_app().run(), "4.2")
    assert not app.exception
    assert _titles(app)[0] == "Where the evidence behind recommendation 4.2 comes from"
    evidence = app.dataframe[0].value
    assert evidence.iloc[0]["submitter"] == "Ghana"
    assert evidence.iloc[0]["region"] == "African"
    assert "criminalizes" in evidence.iloc[0]["text"]
    assert app.selectbox(key="ev_topic").value == "criminalization"
    assert len(_titles(app)) == 1  # the comparison is computed only when asked for
    app.toggle(key="ev_compare").set_value(True).run()
    assert not app.exception
    assert _titles(app)[-1].startswith("Criminalization: share of the evidence")


def test_a_recommendation_without_evidence_says_so(small_db) -> None:
    app = _pick(_app().run(), "4.1")
    assert not app.exception
    assert any("No submission passage" in info.value for info in app.info)


def test_filters_choose_the_recommendations(small_db) -> None:
    app = _app().run()
    app.multiselect(key="f_topics").set_value(["prevention"]).run()
    assert not app.exception
    assert [o[:3] for o in app.selectbox(key="ev_recommendation").options] == ["4.1"]
    app.multiselect(key="f_meetings").set_value([5]).run()
    assert "No recommendation in the chosen meetings" in app.info[0].value


def test_the_score_is_named_a_match_score_of_0_to_1_5(small_db) -> None:
    # BM25 scaled to 0–1 plus 0.5 × a share: values above 1 must not be called a similarity
    app = _pick(_app().run(), "4.2")
    assert not app.exception
    table = app.dataframe[0]
    # the frame's column (the CSV download's header) and the shown title are the same
    assert "Match score (0–1.5)" in table.value.columns
    assert not any("similar" in str(c).lower() for c in table.value.columns)
    config = json.loads(table.proto.columns)
    assert config["Match score (0–1.5)"]["label"] == "Match score (0–1.5)"
    assert table.value["Match score (0–1.5)"].between(0, 1.5).all()
    caption = next(c.value for c in app.caption if "match score" in c.value)
    assert "0 to 1.5" in caption
    assert "most similar" not in caption
