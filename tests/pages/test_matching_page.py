"""The Needs and offers page, driven by AppTest on the small labelled database (Ghana
needs help with electronic evidence), with and without an offer that meets the need."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from tests.factories import fake_classify
from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "8_Matching.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60)


def _titles(app: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]


@pytest.fixture
def offer_db(small_db, tmp_path):
    """The small database plus France offering training on electronic evidence."""
    db = Database(small_db)
    request = IngestRequest(
        name="france.csv",
        data=b"text\nFrance offers training for prosecutors on electronic evidence.\n",
        meeting=5,
        submitter="France",
        kind="written_submission",
        received="2019-03-01",
    )
    settings = Settings(db_path=small_db, model_dir=tmp_path / "models")
    assert ingest(db, [request], settings=settings).exit_code == 0
    fake_classify(db)
    return small_db


def test_a_need_with_its_offer_side_by_side(offer_db) -> None:
    app = _app().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Need passages"] == "1"
    assert metrics["Needs with an offer"] == "1"
    assert metrics["… on a shared sub-theme"] in ("0", "1")  # a stricter count than the one above
    assert metrics["Needs nobody offers to meet"] == "0"
    assert _titles(app) == ["Who offers help to the needs of which region"]
    sankey = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
    assert sankey["type"] == "sankey" and sankey["node"]["label"] == ["France (1)", "African"]
    table = app.dataframe[0].value
    assert table.iloc[0]["need_state"] == "Ghana" and table.iloc[0]["provider"] == "France"
    assert table.iloc[0]["shared_topics"] == "Electronic evidence and criminal justice"
    assert any("Every need" in s.value for s in app.success)
    assert [b.label for b in app.get("download_button")] == ["Download the matches (XLSX)"]
    assert app.get("download_button")[0].proto.ignore_rerun  # a download does not rerun
    app.toggle(key="match_best_only").set_value(True)
    app.slider(key="match_per_need").set_value(1).run()
    assert not app.exception
    assert len(app.dataframe[0].value) == 1 and _titles(app)


def test_a_filter_change_reaches_the_page(offer_db) -> None:
    app = _app().run()
    app.multiselect(key="f_meetings").set_value([6]).run()  # Chile: no need
    assert not app.exception
    assert app.query_params["meeting"] in ("6", ["6"])
    assert "No State expressed a need" in app.info[0].value
    assert not app.get("plotly_chart")


def test_the_submitter_type_filter_narrows_the_offers(offer_db) -> None:
    app = _app()
    app.query_params["actor"] = "academia"  # nobody from academia offers anything
    app.run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["Needs nobody offers to meet"] == "1"
    assert any("No offer matches" in info.value for info in app.info)


def test_a_need_nobody_meets_is_listed(small_db) -> None:
    app = _app().run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["Needs with an offer"] == "0"
    assert "No offer matches" in app.info[0].value
    unmet = app.dataframe[-1].value
    assert unmet["state"].tolist() == ["Ghana"]
    assert unmet.iloc[0]["reason"].startswith("no other submitter offers help")
