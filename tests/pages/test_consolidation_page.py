"""The Consolidation page, driven by AppTest on two small recommendation lists."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ieg_analysis.consolidation.clustering import DEFAULT_THRESHOLD
from ieg_analysis.export.consolidated import consolidated_draft
from ieg_analysis.store.db import Database
from tests.consolidation.conftest import build_recommendation_db
from tests.pages.conftest import ROOT

PAGE = str(ROOT / "pages" / "7_Consolidation.py")


@pytest.fixture
def recs_path(tmp_path, monkeypatch):
    path = tmp_path / "recs.duckdb"
    build_recommendation_db(path)
    monkeypatch.setenv("IEG_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=90)


def test_shows_groups_members_and_the_draft_download(recs_path) -> None:
    app = _app().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {
        "Recommendations (withdrawn left out)": "5",
        "Groups": "2",
        "In a group": "4",
        "Standing alone": "1",
    }
    assert app.subheader[0].value.startswith("Group 1: 2 recommendations")
    members = app.dataframe[1].value
    assert sorted(members["reference"]) == ["4.1", "5.1"]
    assert len(app.get("download_button")) == 1
    assert not app.get("form")  # not signed in: no actions
    # the caption counts what the DOCX (made when downloaded) holds
    _, count = consolidated_draft(Database(recs_path), DEFAULT_THRESHOLD)
    assert any(c.value.startswith(f"{count} consolidated recommendations") for c in app.caption)


def test_the_recommendation_count_says_that_withdrawn_ones_are_left_out(recs_path) -> None:
    from ieg_analysis.store.writer import Writer

    with Writer(Database(recs_path)) as writer:
        writer.con.execute(
            "update recommendation set status = 'withdrawn' where meeting = 5 and number = 1"
        )
    app = _app().run()
    assert not app.exception
    # the other pages count all 5 stored recommendations: the label must say why this is 4
    figure = next(m for m in app.metric if m.label.startswith("Recommendations"))
    assert figure.label == "Recommendations (withdrawn left out)"
    assert figure.value == "4"
    assert figure.proto.help.startswith("1 withdrawn recommendation of the 5 stored is not")


def test_a_high_threshold_leaves_nothing_to_group(recs_path) -> None:
    from ieg_analysis.consolidation.clustering import DEFAULT_THRESHOLD

    app = _app().run()
    slider = app.slider[0]
    # the default is on the slider's grid and shown as it is, so a user can get back to it
    assert slider.value == DEFAULT_THRESHOLD and slider.proto.format == "%.3f"
    assert round((DEFAULT_THRESHOLD - slider.min) / slider.step, 9).is_integer()
    app.slider[0].set_value(0.9).run()
    assert not app.exception
    assert any("No group of recommendations matches" in i.value for i in app.info)


def test_a_signed_in_user_accepts_a_group(recs_path) -> None:
    app = _app()
    app.session_state["ieg_signed_in_user"] = "alice"
    app.run()
    assert not app.exception
    app.button(key="FormSubmitter:accept-Accept the group").click().run()
    assert not app.exception
    assert any("Recorded: accept" in s.value for s in app.success)
    assert "Accepted" in app.dataframe[0].value["state"].tolist()
