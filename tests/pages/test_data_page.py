"""The Data page: reading is open, every write needs a signed-in Secretariat user."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from ieg_analysis.store.db import Database
from tests.pages.conftest import ROOT
from ui.auth import AttemptLimiter, limiter

PAGE = str(ROOT / "pages" / "6_Data.py")
HASH = PasswordHasher().hash("correct horse")


def _app(*, users: bool = True, auth: bool = False) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    if users:
        app.secrets["ieg_users"] = {"alice": HASH}
    if auth:
        app.secrets["auth"] = {
            "redirect_uri": "http://localhost:8606/oauth2callback",
            "cookie_secret": "x" * 32,
            "client_id": "id",
            "client_secret": "secret",
            "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
        }
    return app


def _sign_in(app: AppTest, password: str = "correct horse") -> AppTest:
    app.text_input[0].input("alice")
    app.text_input[1].input(password)
    return app.button[0].click().run()


@pytest.fixture(autouse=True)
def _fresh_limiter():
    limiter.clear()
    yield
    limiter.clear()


def test_anonymous_users_can_read_but_not_write(small_db) -> None:
    app = _app().run()
    assert not app.exception
    assert len(app.dataframe) == 1  # the document list, read-only
    labels = [b.label for b in app.button]
    assert labels == ["Sign in"]  # no upload, no delete, no audit log
    assert "Audit log" not in [s.value for s in app.subheader]
    assert not app.checkbox  # the delete confirmation is not there


def test_without_configured_users_nothing_can_be_written(small_db) -> None:
    app = _app(users=False).run()
    assert not app.exception
    assert not app.button
    assert "No Secretariat users are configured" in "".join(c.value for c in app.caption)


def test_a_wrong_password_is_refused_and_attempts_are_limited(small_db) -> None:
    app = _sign_in(_app().run(), "wrong")
    assert [e.value for e in app.error] == ["The user name or password is wrong."]
    for _ in range(5):
        app = _sign_in(app, "wrong")
    assert "Too many failed attempts" in app.error[0].value
    app = _sign_in(app)  # even the right password waits now
    assert "Too many failed attempts" in app.error[0].value
    assert "Audit log" not in [s.value for s in app.subheader]


def test_a_signed_in_secretariat_user_deletes_and_the_audit_log_says_who(small_db) -> None:
    app = _sign_in(_app().run())
    assert not app.exception
    assert "Signed in as **alice**" in app.success[0].value
    assert {"Add documents", "Documents", "Audit log"} <= {s.value for s in app.subheader}
    before = Database(small_db).scalar("select count(*) from document")
    chile = Database(small_db).scalar("select id from document where source_name = 'chile.docx'")
    app.selectbox[-1].select(chile)
    app.checkbox[0].check()
    app = app.button[-1].click().run()
    assert not app.exception
    assert any("Deleted document" in s.value for s in app.success)
    db = Database(small_db)
    assert db.scalar("select count(*) from document") == before - 1
    assert db.scalar("select count(*) from passage where document_id = ?", [chile]) == 0
    log = db.query("select user_name, action, target from audit_log order by id")
    assert log.iloc[-1].tolist() == ["alice", "delete_document", f"document {chile}"]
    assert "alice" in app.dataframe[-1].value["user_name"].tolist()


def test_with_openid_connect_configured_the_page_offers_it(small_db) -> None:
    app = _app(users=False, auth=True).run()
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in with your organisation's account"]


def test_the_limiter_forgets_after_its_window() -> None:
    now = [0.0]
    gate = AttemptLimiter(max_failures=2, window_s=60, clock=lambda: now[0])
    gate.failed("bob")
    assert gate.wait_s("bob") == 0
    gate.failed("bob")
    assert gate.wait_s("bob") == 60
    now[0] = 61
    assert gate.wait_s("bob") == 0


def test_the_document_list_narrows_to_a_meeting_and_words(small_db) -> None:
    app = _app().run()
    every = app.dataframe[0].value
    assert len(every) > 1
    name = every.iloc[0]["submitter"]
    app.text_input(key="data_search").input(name.lower()).run()
    assert not app.exception
    assert set(app.dataframe[0].value["submitter"]) == {name}
    app.text_input(key="data_search").input("no such document anywhere").run()
    assert not app.dataframe
    assert any("No stored document matches" in info.value for info in app.info)
    app.text_input(key="data_search").input("").run()
    meeting = int(every.iloc[0]["meeting"])
    app.selectbox(key="data_meeting").set_value(meeting).run()
    assert set(app.dataframe[0].value["meeting"]) == {meeting}
