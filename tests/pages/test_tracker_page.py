"""The Work-plan tracker page, driven by AppTest on the small labelled database: Ghana's
submission to the fourth meeting came on time, Chile's to the sixth after the deadline."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "9_Work_plan_tracker.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=60)


def _titles(app: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]


def test_meetings_deadlines_and_the_latest_meeting(small_db) -> None:
    app = _app().run()
    assert not app.exception
    meetings = app.dataframe[0].value.set_index("meeting")
    assert str(meetings.loc[4, "submission_deadline"])[:10] == "2018-03-13"
    assert meetings.loc[6, "late"] == 1 and meetings.loc[4, "on_time"] == 1
    assert _titles(app)[0] == "Written submissions for the sixth meeting: on time and late"
    per_region = app.dataframe[1].value
    assert per_region["region"].tolist() == ["Latin American and Caribbean"]
    assert per_region.iloc[0]["late_submitters"] == "Chile"
    assert per_region.iloc[0]["most_days_late"] == "14 days"  # 20 July, deadline 6 July


def test_picking_a_meeting_and_a_filter(small_db) -> None:
    app = _app().run()
    app.selectbox(key="tracker_meeting").set_value(4).run()
    assert not app.exception
    row = app.dataframe[1].value.iloc[0]
    assert (row["region"], row["on_time"], row["late"]) == ("African", 1, 0)
    app.multiselect(key="f_states").set_value(["FRA"]).run()  # France submitted nothing
    assert not app.exception
    assert any("No written submission matches" in info.value for info in app.info)


def test_stocktaking_comments_and_their_empty_state(small_db) -> None:
    app = _app().run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Preliminary recommendations"] == "2"
    assert metrics["Comments"] == "0"
    assert _titles(app)[-1] == "Comments on the preliminary recommendations, by topic and outcome"
    table = app.dataframe[-1].value
    assert table["reference"].tolist() == ["4.1", "4.2"]
    assert set(table["outcome"]) == {"Pending"}
    app.toggle(key="tracker_commented").set_value(True).run()
    assert not app.exception
    assert app.dataframe[-1].value.empty
    app.multiselect(key="f_topics").set_value(["law_enforcement"]).run()
    assert any("No preliminary recommendation" in info.value for info in app.info)
