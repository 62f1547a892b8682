"""One real browser: start the app on a loopback port over the sample database, open every
page in headless Chromium, wait for the charts, check that nothing failed, and save
screenshots to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NEEDS_CHROMIUM, ROOT, serve_app, wait_until_idle

ARTIFACTS = ROOT / "test-artifacts"
PAGES = [  # (path, heading, Plotly charts that must draw)
    ("", "IEG Analysis: Overview", 2),
    ("explorer?q=evidence", "Submissions explorer", 0),
    ("capacity-building", "Capacity-building needs", 2),
    ("recommendations", "Recommendation coverage", 2),
    ("topics", "Topics", 3),
    ("briefing", "Briefing and exports", 0),
    ("data", "Data", 0),
    ("consolidation", "Consolidation for the stock-taking meeting", 0),
    ("needs-and-offers", "Needs and offers", 1),
    ("recommendation-evidence", "Recommendation evidence", 1),
    ("work-plan-tracker", "Work-plan tracker", 1),
    ("label-review", "Label review", 0),
]
pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


@pytest.fixture(scope="module")
def app_url(sample_db):
    with serve_app(sample_db.path) as url:
        yield url


@pytest.mark.parametrize(("path", "title", "charts"), PAGES, ids=[p[1] for p in PAGES])
def test_page_draws_without_errors(app_url, browser, path, title, charts) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    requests_outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            requests_outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    page.goto(f"{app_url}/{path}")
    wait_until_idle(page)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.get_by_text("Illustrative sample data").first.wait_for(timeout=60_000)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
            timeout=30_000,
        )
    wait_until_idle(page)
    name = (path.split("?")[0] or "overview").replace("/", "_")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("This app has encountered an error").count() == 0
    assert not requests_outside, requests_outside
    page.close()


def test_map_draws_from_the_local_geometry(app_url, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{app_url}/capacity-building")
    wait_until_idle(page)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .geo .countries path, "
        ".js-plotly-plot .choroplethlayer path').length > 100",
        timeout=30_000,
    )
    page.close()
