"""The HTML report in headless Chromium: no console errors, no network, figures visible."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.report.chromium import Chromium, chromium_path
from tests.report.conftest import ReportRun

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IMAGES_JS = (
    "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight,"
    " i.getBoundingClientRect().width, i.getBoundingClientRect().height])"
)


@dataclass
class PageLoad:
    """What a page did while loading."""

    url: str
    errors: list[dict[str, Any]]
    requests: list[str]
    images: list[list[Any]]


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    binary = chromium_path()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    driver = Chromium(binary)
    for domain in ("Page", "Runtime", "Log", "Network"):
        driver.page(f"{domain}.enable")
    yield driver
    driver.close()


def load(browser: Chromium, path: Path) -> PageLoad:
    """Navigate to a file and collect console errors, requests and image sizes."""
    browser.events.clear()
    url = path.resolve().as_uri()
    browser.page("Page.navigate", {"url": url})
    browser.wait_for("Page.loadEventFired")
    events = list(browser.events)
    errors = [
        e
        for e in events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    requests = [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    return PageLoad(url, errors, requests, browser.evaluate(IMAGES_JS))


def test_harness_sees_errors_and_requests(browser: Chromium, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><body><script>console.error('boom')</script>"
        "<img src='http://example.invalid/x.png'></body></html>"
    )
    loaded = load(browser, page)
    assert loaded.errors
    assert "http://example.invalid/x.png" in loaded.requests


def test_report_in_chromium(browser: Chromium, report_run: ReportRun) -> None:
    loaded = load(browser, report_run.out / "report.html")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "report-chromium.png")
    assert loaded.errors == []
    assert [r for r in loaded.requests if r != loaded.url and not r.startswith("data:")] == []
    assert len(loaded.images) == report_run.compiled.figures == 2
    for complete, natural_w, natural_h, width, height in loaded.images:
        assert complete and natural_w > 0 and natural_h > 0
        assert width > 0 and height > 0
    assert (ARTIFACTS / "report-chromium.png").stat().st_size > 10_000
