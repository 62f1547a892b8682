"""Rendering safety in a real browser: passages and recommendations carrying script payloads
are shown on every page that shows text; no payload runs (each would set
``window.__ieg_pwned``) and the payloads are visible as text."""

from __future__ import annotations

import time

import pytest

from ieg_analysis.ingest.pipeline import IngestRequest, ingest
from ieg_analysis.settings import Settings
from ieg_analysis.store.db import Database
from tests.browser.conftest import NEEDS_CHROMIUM, serve_app, wait_until_idle
from tests.factories import fake_classify
from tests.reliability.hostile import PAYLOADS

PAGES = [
    "explorer",
    "explorer?q=evidence",
    "capacity-building",
    "recommendations",
    "topics",
    "data",
]
pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


@pytest.fixture(scope="module")
def payload_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("payloads")
    path = folder / "payloads.duckdb"
    text = "\n\n".join(
        f"{i + 1}. Capacity building on electronic evidence is needed. {p}"
        for i, p in enumerate(PAYLOADS)
    )
    quoted = [p.replace('"', '""') for p in PAYLOADS]
    rows = "number,topic,text\n" + "".join(
        f'{i + 1},electronic_evidence,"States should share evidence. {p}"\n'
        for i, p in enumerate(quoted)
    )
    requests = [
        IngestRequest(
            name="<img src=x onerror=window.__ieg_pwned=1>.txt",
            data=text.encode(),
            meeting=5,
            submitter="Ghana",
            kind="written_submission",
            title="<script>window.__ieg_pwned='title'</script>",
        ),
        IngestRequest(
            name="recs.csv",
            data=rows.encode(),
            meeting=5,
            submitter="UNODC Secretariat",
            actor_type="unodc",
            kind="recommendation_list",
        ),
    ]
    report = ingest(Database(path), requests, settings=Settings(path, folder / "models"))
    assert report.exit_code == 0, report.outcomes
    fake_classify(Database(path))
    with serve_app(path) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_no_payload_runs_and_the_text_is_visible(payload_url, browser, path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(payload_url)  # the first page a session opens is the entry point
    wait_until_idle(page)
    page.goto(f"{payload_url}/{path}")
    wait_until_idle(page)
    time.sleep(1)
    assert page.get_by_text("Page not found").count() == 0
    assert page.evaluate("window.__ieg_pwned") is None
    assert not dialogs
    assert page.locator('[data-testid="stException"]').count() == 0
    if path.startswith("explorer"):
        page.get_by_text("window.__ieg_pwned").first.wait_for(timeout=90_000)  # a busy CI box
        body = page.inner_text("body")
        assert "<script>window.__ieg_pwned = 'script'</script>" in body
        assert "onerror=" in body
        page.get_by_role("button", name="Open document").first.click()
        wait_until_idle(page)
        assert page.evaluate("window.__ieg_pwned") is None
        assert "javascript:window.__ieg_pwned" in page.inner_text("body")
    page.close()
