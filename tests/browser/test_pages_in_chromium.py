"""One real browser: start the app on a loopback port over the sample database, open every
page in headless Chromium, wait for the charts, check that nothing failed, and save
screenshots to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
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
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="Chromium is not installed (apt-get install chromium); CI installs it",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(sample_db):
    port = _free_port()
    env = {**os.environ, "IEG_DB": str(sample_db.path)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start within 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "Chromium must be installed for the browser test (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _wait_until_idle(page, timeout_s: float = 60) -> None:
    deadline = time.time() + timeout_s
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=30_000)
    time.sleep(1)
    while time.time() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        if not running:
            return
        time.sleep(0.5)
    raise AssertionError("the page was still running after 60 s")


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
    _wait_until_idle(page)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.get_by_text("Illustrative sample data").first.wait_for(timeout=60_000)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
            timeout=30_000,
        )
    _wait_until_idle(page)
    name = (path.split("?")[0] or "overview").replace("/", "_")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("This app has encountered an error").count() == 0
    assert not requests_outside, requests_outside
    page.close()


def test_map_draws_from_the_local_geometry(app_url, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{app_url}/capacity-building")
    _wait_until_idle(page)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .geo .countries path, "
        ".js-plotly-plot .choroplethlayer path').length > 100",
        timeout=30_000,
    )
    page.close()
