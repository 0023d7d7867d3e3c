"""A real browser for the end-to-end tests: Debian's Chromium driven by Playwright, on a phone screen.

Playwright's own browser downloads are never used; the browser is the system's ``/usr/bin/chromium``
(``apt-get install chromium``), so the tests run offline and on the machine's own fonts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}  # iPhone X/11 Pro/12 mini class, CSS pixels
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def is_local(url: str) -> bool:
    """Whether a request the page made stays on this machine (data: and blob: never leave it)."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        skip_or_fail("browser", f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, so Django's guard against
    # ORM calls from async code would trip on every query the tests and fixtures make while the
    # browser is open. Allowed only for as long as the browser lives.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def requested_urls() -> list[str]:
    """Every URL the page asked for, in order."""
    return []


@pytest.fixture
def phone(browser, live_server, requested_urls) -> Iterator:
    """A fresh page in a phone-sized, touch, Chinese-language browser context pointed at the live server."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    context.on("request", lambda request: requested_urls.append(request.url))
    # Recorded above, then refused: a page that reaches for the internet fails fast instead of waiting.
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# What stands out past the screen's right edge, widest first: the elements (tag, id or test id, class)
# and their right edges, so a failed width check names what to fix.
OVERFLOWING = """() => document.fonts.ready.then(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
        const right = el.getBoundingClientRect().right;
        if (right > width + 0.5) {
            const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.dataset.testid ? "[data-testid=" + el.dataset.testid + "]" : "")
                + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
            out.push([Math.round(right), name, (el.textContent || "").trim().slice(0, 40)]);
        }
    }
    out.sort((a, b) => b[0] - a[0]);
    return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
})"""


def assert_fits_phone(page) -> None:
    """The page is no wider than the phone: nothing to scroll sideways. Measured once the page has
    loaded and its fonts are in: a test may go on as soon as an element is in the DOM, while the
    stylesheet is still on its way, and unstyled text (a SHA-256 with nowhere to break) stands far wider
    than it will. A failure lists the elements that stand out."""
    page.wait_for_load_state("load")
    found = page.evaluate(OVERFLOWING)
    assert found["scroll"] <= PHONE["width"], (
        f"{page.url} is {found['scroll']}px wide on a {PHONE['width']}px phone; standing out: {found['out']}"
    )
