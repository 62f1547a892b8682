from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "2_Capacity_building.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60)


def _titles(app: AppTest) -> list[str]:
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return [spec["layout"]["title"]["text"] for spec in specs]


def test_page_shows_heatmap_evidence_priorities_map_and_offers(small_db) -> None:
    app = _app().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Submitting States"] == "2"  # Ghana and Chile; the UNODC list is no State
    assert metrics["Need passages"] == "1"
    assert _titles(app) == [
        "Capacity-building needs by region and work-plan topic",
        "Need intensity per State: Electronic evidence and criminal justice",
    ]
    priorities = next(df.value for df in app.dataframe if "rank" in df.value.columns)
    assert priorities.iloc[0]["region"] == "African"
    assert priorities.iloc[0]["topic_label"] == "Electronic evidence and criminal justice"
    assert "Ghana" in priorities.iloc[0]["states"]


def test_the_passages_open_on_the_first_priority(small_db) -> None:
    app = _app()
    app.query_params["scheme"] = "m49_subregion"  # Chile's region now sorts before Ghana's
    app.run()
    assert not app.exception
    regions = app.selectbox(key="cap_region").options
    assert regions[0].startswith("Latin America")
    assert app.selectbox(key="cap_region").value == "Sub-Saharan Africa"  # Ghana's need
    assert app.selectbox(key="cap_topic").value == "electronic_evidence"
    assert list(app.dataframe[0].value["state"]) == ["Ghana"]


def test_picking_a_cell_lists_its_passages(small_db) -> None:
    app = _app().run()
    app.selectbox(key="cap_region").set_value("African")
    app.selectbox(key="cap_topic").set_value("electronic_evidence").run()
    assert not app.exception
    evidence = app.dataframe[0].value
    assert list(evidence["state"]) == ["Ghana"]
    assert "electronic evidence" in evidence.iloc[0]["text"]
    app.selectbox(key="cap_topic").set_value("prevention").run()
    assert any("African: no needs on Prevention" in info.value for info in app.info)


def test_value_and_measure_change_the_heatmap(small_db) -> None:
    app = _app().run()
    app.radio(key="cap_value").set_value("passages")
    app.radio(key="cap_measure").set_value("provision").run()
    assert not app.exception
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"].startswith("Offers of capacity-building help")
    assert spec["data"][0]["colorbar"]["title"]["text"] == "Passages (count)"
    app.radio(key="cap_measure").set_value("gap").run()
    assert not app.exception
    assert _titles(app)[0].startswith("Needs without any offer")


def test_a_filter_change_reaches_every_part(small_db) -> None:
    app = _app().run()
    app.multiselect(key="f_meetings").set_value([6]).run()  # Chile only: no needs
    assert not app.exception
    assert app.query_params["meeting"] in ("6", ["6"])  # the view is in the link
    assert {m.label: m.value for m in app.metric}["Submitting States"] == "1"
    assert any("No State expressed a need" in info.value for info in app.info)


def test_filters_matching_nothing_say_what_to_change(small_db) -> None:
    app = _app()
    app.query_params["kind"] = "recommendation_list"  # a shared link
    app.run()
    assert not app.exception
    assert "Clear some filters" in app.info[0].value
    assert not app.get("plotly_chart")
