"""The Content-Security-Policy in a real Chromium: the main pages load, draw their charts and run their
scripts with the policy on, and the browser reports no violation (decision 0022)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_everyday_pages import market_with_figures, signed_in_agent
from tests.factories import ClientFactory, ListingFactory, PriceChangeFactory

pytestmark = pytest.mark.browser


def watch_violations(page: Page) -> list[str]:
    """Every console message in which Chromium reports a Content-Security-Policy violation."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_the_main_pages_run_under_the_policy_without_a_violation(phone):
    violations = watch_violations(phone)
    # given an agent with a client, a listing whose price was cut, and the market's figures
    agent = signed_in_agent(phone)
    client = ClientFactory(owner=agent, company=agent.company, name="陈女士")
    listing = ListingFactory(agent=agent, price=Decimal("3250000"))
    PriceChangeFactory(listing=listing, by=agent, old_price=Decimal("3400000"), new_price=Decimal("3250000"))
    market_with_figures(agent)

    # when the agent goes through the day's pages, then each one's scripts run
    phone.goto("/")
    expect(phone.get_by_role("heading", name="工作台", level=1)).to_be_visible()
    phone.goto("/clients/")
    phone.goto(f"/clients/{client.pk}/")
    expect(phone.get_by_text("陈女士").first).to_be_visible()
    phone.goto(f"/listings/{listing.pk}/")
    expect(phone.locator("#price-chart svg, #price-chart canvas")).to_have_count(1)
    phone.goto("/listings/new/")
    phone.goto("/market/")
    expect(phone.locator('[data-chart="price"]')).to_have_attribute("data-drawn", "1")
    phone.goto("/calculators/")
    phone.goto("/help/")
    phone.wait_for_load_state("load")
    assert violations == []

    # and (positive control) the policy is on: a script slipped into the page is refused, and seen
    phone.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.slipped = 1";
                   document.body.appendChild(s); }"""
    )
    phone.wait_for_timeout(200)
    assert phone.evaluate("() => window.slipped") is None
    assert any("script-src" in violation for violation in violations), violations


def test_a_confirmation_once_inline_still_asks_before_a_client_goes_to_the_pool(phone):
    # given a client of the agent's own
    agent = signed_in_agent(phone)
    client = ClientFactory(owner=agent, company=agent.company, name="陈女士")
    phone.goto(f"/clients/{client.pk}/")
    asked: list[str] = []

    def dismiss(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    phone.on("dialog", dismiss)
    # when the agent taps 放入公客池 and says no, then the question was asked and the page stayed
    phone.get_by_role("button", name="放入公客池").click()
    phone.wait_for_timeout(300)
    assert asked and "公客池" in asked[0]
    assert phone.url.endswith(f"/clients/{client.pk}/")


def test_the_quick_follow_up_dates_once_inline_still_fill_the_form(phone):
    # given a client's page with the follow-up form
    agent = signed_in_agent(phone)
    client = ClientFactory(owner=agent, company=agent.company, name="陈女士")
    phone.goto(f"/clients/{client.pk}/")
    form = phone.locator("#interaction-form")
    field = form.locator("[name=next_follow_up_on]")
    quick = form.locator("button[data-fill][data-date]:not([data-date=''])").first
    # when a quick date is tapped, then the next follow-up takes its date
    quick.click()
    expect(field).to_have_value(quick.get_attribute("data-date") or "")
    # when 不安排 is tapped, then the date is emptied and 不再安排跟进 ticked
    form.get_by_role("button", name="不安排").click()
    expect(field).to_have_value("")
    expect(form.locator("[name=clear_next_follow_up]")).to_be_checked()
