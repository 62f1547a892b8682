"""The Label review page: everyone sees the queue; only a signed-in Secretariat user can
confirm or correct labels, and the correction is audited and wins at once."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from ieg_analysis.store.db import Database
from tests.pages.conftest import ROOT
from ui.auth import limiter

PAGE = str(ROOT / "pages" / "11_Review.py")
HASH = PasswordHasher().hash("correct horse")


def _app() -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.secrets["ieg_users"] = {"alice": HASH}
    return app


def _by_label(widgets, label: str):
    (found,) = [w for w in widgets if w.label == label]
    return found


def _sign_in(app: AppTest) -> AppTest:
    _by_label(app.text_input, "User name").input("alice")
    _by_label(app.text_input, "Password").input("correct horse")
    return _by_label(app.button, "Sign in").click().run()


@pytest.fixture(autouse=True)
def _fresh_limiter():
    limiter.clear()
    yield
    limiter.clear()


def test_anonymous_users_see_the_queue_read_only(small_db) -> None:
    app = _app().run()
    assert not app.exception
    assert "Passage" in app.subheader[0].value  # the first passage of the default queue
    assert "Model versions" in [s.value for s in app.subheader]
    labels = [b.label for b in app.button]
    assert "Save and next" not in labels and "Sign in" in labels
    assert not [c for c in app.checkbox if (c.key or "").startswith("topic_")]


def test_a_signed_in_user_corrects_a_passage_and_it_is_audited(small_db) -> None:
    db = Database(small_db)
    bill = int(db.scalar("select id from passage where text like 'A bill on procedural%'"))
    app = _sign_in(_app().run())
    assert not app.exception
    assert app.subheader[0].value == f"Passage {bill}"  # heading says legislation, model none
    app.checkbox(key=f"topic_{bill}_legislation_frameworks").check()
    _by_label(app.radio, "Capacity building").set_value("need")
    _by_label(app.text_input, "Note (optional; Enter saves)").input("heading is right")
    app = _by_label(app.button, "Save and next").click().run()
    assert not app.exception
    assert app.success[-1].value == f"Passage {bill}: labels corrected."
    row = db.query(
        "select topic_labels, capacity_label, corrected from v_passage where passage_id = ?",
        [bill],
    ).iloc[0]
    assert list(row["topic_labels"]) == ["legislation_frameworks"]
    assert row["capacity_label"] == "need" and row["corrected"]
    audit = db.query("select user_name, action, detail from audit_log order by id desc limit 1")
    assert audit.iloc[0]["user_name"] == "alice" and audit.iloc[0]["action"] == "relabel"
    assert "heading is right" in audit.iloc[0]["detail"]
    # the reviewed passage left the default queue: nothing else disagrees or is unsure
    assert "No passage waits for review" in app.info[-1].value


def test_skip_moves_on_without_recording_anything(small_db) -> None:
    app = _sign_in(_app().run())
    _by_label(app.radio, "Queue").set_value("uncertain")
    app = app.run()
    first = app.subheader[0].value
    app = _by_label(app.button, "Skip").click().run()
    assert not app.exception
    assert app.subheader[0].value != first
    assert Database(small_db).scalar("select count(*) from label_correction") == 0


def test_the_queue_says_why_each_passage_is_in_its_place(small_db) -> None:
    app = _app().run()
    assert not app.exception
    table = app.dataframe[0]
    # not a "Certainty" bar that reads 0.00 at the top of the queue: the closest call, in words
    assert "certainty" not in table.value.columns
    assert table.value["closest_call"].str.contains(r" apart$|threshold$").all()
    config = json.loads(table.proto.columns)
    assert config["closest_call"]["label"] == "Closest call"
    assert "nearest to going the other way" in config["closest_call"]["help"]
