"""Editing a record on a phone keeps every date it holds: in the Chinese interface a date field used
to show empty (the locale's 2026/01/15 is not a value ``<input type="date">`` accepts), and saving the
form for an unrelated change erased the date — a listing's certificate date turned 满二 into 未满二."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_login import sign_in
from tests.factories import PASSWORD, AgentFactory, ClientFactory, ListingFactory

pytestmark = pytest.mark.browser

CERTIFICATE = dt.date(2019, 3, 8)
MANDATE_START = dt.date(2026, 10, 1)
MANDATE_END = dt.date(2027, 3, 31)
BIRTHDAY = dt.date(1986, 1, 15)


def test_editing_a_listings_title_keeps_its_certificate_and_mandate_dates(phone, live_server):
    # given a listing with all three dates
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    listing = ListingFactory(
        agent=agent,
        property__certificate_date=CERTIFICATE,
        mandate_start=MANDATE_START,
        mandate_end=MANDATE_END,
        title="南北通透三房",
    )
    sign_in(phone, "zhangwei", PASSWORD)
    # when the agent opens the edit form, the dates are shown
    phone.goto(f"/listings/{listing.pk}/edit/")
    expect(phone.get_by_label("产权证日期")).to_have_value("2019-03-08")
    expect(phone.get_by_label("委托开始")).to_have_value("2026-10-01")
    expect(phone.get_by_label("委托结束")).to_have_value("2027-03-31")
    # and only the title is changed and saved
    phone.get_by_label("标题").fill("南北通透三房，满五唯一")
    phone.locator("main form").get_by_role("button", name=re.compile("保存")).click()
    expect(phone).to_have_url(re.compile(rf"/listings/{listing.pk}/$"))
    # then the title changed and every date is as it was
    listing.refresh_from_db()
    listing.property.refresh_from_db()
    assert listing.title == "南北通透三房，满五唯一"
    assert listing.property.certificate_date == CERTIFICATE
    assert (listing.mandate_start, listing.mandate_end) == (MANDATE_START, MANDATE_END)


def test_editing_a_clients_name_keeps_their_solar_birthday(phone, live_server):
    # given a client with a solar (公历) birthday
    agent = AgentFactory(name="张伟", user__username="zhangwei")
    client = ClientFactory(owner=agent, name="王芳", birthday_calendar="solar", birthday=BIRTHDAY)
    sign_in(phone, "zhangwei", PASSWORD)
    # when the agent opens the edit form, the birthday is shown
    phone.goto(f"/clients/{client.pk}/edit/")
    expect(phone.get_by_label("公历生日")).to_have_value("1986-01-15")
    # and only the name is changed and saved
    phone.get_by_role("textbox", name="姓名", exact=True).fill("王芳芳")
    phone.locator("main form").get_by_role("button", name=re.compile("保存")).click()
    expect(phone).to_have_url(re.compile(rf"/clients/{client.pk}/$"))
    # then the birthday is still there
    client.refresh_from_db()
    assert client.name == "王芳芳"
    assert (client.birthday_calendar, client.birthday) == ("solar", BIRTHDAY)


def test_the_calculators_date_shows_today(phone, live_server):
    AgentFactory(name="张伟", user__username="zhangwei")
    sign_in(phone, "zhangwei", PASSWORD)
    phone.goto("/calculators/")
    today = phone.evaluate("new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Shanghai'}).format(new Date())")
    expect(phone.get_by_label("计算日期").first).to_have_value(today)
