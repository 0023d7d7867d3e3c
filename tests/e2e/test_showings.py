"""On a phone, in Debian's Chromium: from a need's matches the agent plans two stops, confirms both,
the client signs with a drawn stroke, feedback is recorded for both, and tomorrow's follow-up is on
the workbench; the .ics invitation parses with both stops."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from anju.showings.models import Showing, ShowingConfirmation
from anju.showings.services import confirmation_intact
from tests.e2e.conftest import assert_fits_phone, browser, phone, requested_urls  # noqa: F401  (fixtures)
from tests.factories import ClientFactory, CommunityFactory
from tests.matching.match_world import buy_need, sale
from tests.needs.test_needs_browser import signed_in  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_plan_confirm_sign_and_record_a_showing_on_a_phone(phone, signed_in):  # noqa: F811
    # given a buyer's need and two fitting flats east of the agent's store
    store = signed_in.store
    store.latitude, store.longitude = Decimal("30.55"), Decimal("114.30")
    store.save()
    near = CommunityFactory(
        company=signed_in.company, name="光谷天悦府", latitude=Decimal("30.55"), longitude=Decimal("114.31")
    )
    far = CommunityFactory(
        company=signed_in.company,
        name="东湖御园",
        business_area=near.business_area,
        latitude=Decimal("30.55"),
        longitude=Decimal("114.33"),
    )
    client = ClientFactory(owner=signed_in, name="王先生")
    need = buy_need(signed_in, client, districts=[near.district_id])
    sale(signed_in, far, price=Decimal("2000000"))
    sale(signed_in, near, price=Decimal("2100000"))
    # when the agent ticks both on the need's matches and presses 安排带看
    phone.goto(f"/needs/{need.pk}/matches/")
    picks = phone.get_by_test_id("pick-listing")
    expect(picks).to_have_count(2)
    picks.nth(0).check()
    picks.nth(1).check()
    phone.get_by_test_id("plan-showing").click()
    # then the planning form has both, drawn from the store
    expect(phone.get_by_test_id("map-stop")).to_have_count(2)
    assert_fits_phone(phone)
    now = timezone.localtime()
    phone.get_by_label("日期").fill(now.date().isoformat())
    phone.get_by_label("出发时间").fill("08:00" if now.hour >= 9 else "00:10")
    phone.get_by_test_id("plan-submit").click()
    # and the plan is a timetable, the near flat first
    stops = phone.get_by_test_id("stop")
    expect(stops).to_have_count(2)
    expect(stops.nth(0)).to_contain_text("光谷天悦府")
    expect(stops.nth(1)).to_contain_text("东湖御园")
    showing = Showing.objects.get()
    # when both stops are confirmed with the owners
    for n, stop in enumerate(showing.stops.order_by("order")):
        card = phone.locator(f"#stop-{stop.pk}")
        card.get_by_test_id("confirm-toggle").click()
        card.get_by_label("同意人姓名").fill(f"业主{n}")
        card.locator(f"label[for=confirm{stop.pk}_access_1]").click()  # 业主/租户在家
        card.get_by_test_id("confirm-submit").click()
        expect(phone.locator(f"#stop-{stop.pk}").get_by_test_id("stop-confirmation")).to_contain_text(
            "已确认"
        )
    # and the client signs with a finger stroke
    pad = phone.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + 20, box["y"] + 60)
    phone.mouse.down()
    for step in range(1, 12):
        phone.mouse.move(box["x"] + 20 + step * 20, box["y"] + 60 + (15 if step % 2 else -15))
    phone.mouse.up()
    phone.get_by_test_id("sign-submit").click()
    expect(phone.get_by_test_id("signed")).to_contain_text("王先生")
    expect(phone.get_by_test_id("sha256")).to_have_text(ShowingConfirmation.objects.get().sha256)
    assert confirmation_intact(ShowingConfirmation.objects.get())
    # and feedback is recorded for both in a few taps
    for stop in showing.stops.order_by("order"):
        card = phone.locator(f"#stop-{stop.pk}")
        card.get_by_test_id("feedback-toggle").click()
        card.locator(f"label[for=feedback{stop.pk}_interest_3]").click()  # 4
        card.locator(f"label[for=feedback{stop.pk}_liked_0]").click()  # 采光
        card.get_by_test_id("feedback-submit").click()
        expect(phone.locator(f"#stop-{stop.pk}").get_by_test_id("stop-feedback")).to_contain_text("意向 4/5")
    expect(phone.get_by_test_id("showing-status")).to_have_text("已完成")
    assert_fits_phone(phone)
    # then tomorrow's follow-up is on the workbench
    phone.goto("/")
    section = phone.locator('[data-section="showings"]')
    expect(section).to_contain_text("王先生")
    expect(section).to_contain_text("明天跟进")
    client.refresh_from_db()
    assert client.next_follow_up_on == timezone.localdate() + dt.timedelta(days=1)
    assert_fits_phone(phone)
    # and the invitation opens in a calendar parser with both stops
    ics = phone.request.get(f"/api/v1/showings/{showing.pk}/calendar.ics")
    assert ics.ok
    events = list(Calendar.from_ical(ics.body()).walk("VEVENT"))
    assert len(events) == 2
    assert "光谷天悦府" in str(events[0].get("summary")) and "东湖御园" in str(events[1].get("summary"))
