"""/api/v1/care/occasions: the caller's clients' birthdays (solar and lunar), festivals and deal
anniversaries in a window, and the workbench's next days under time-machine."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as HttpClient

from anju.org.services import token_create
from anju.outreach import workbench
from anju.processing.services import deal_close
from tests.factories import ClientFactory
from tests.processing.conftest import buyer, listing, signed_deal, specialist
from tests.processing.test_close import finish_everything

pytestmark = pytest.mark.django_db
FIXTURES = (buyer, listing, specialist)  # the processing tests' fixtures, used here too
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def api(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


def occasions(api, start, end):
    answer = api.get("/api/v1/care/occasions", {"from": start, "to": end})
    assert answer.status_code == 200, answer.content
    return answer.json()["items"]


def test_birthdays_and_festivals_of_my_clients_only(api, agent, colleague, stranger):
    # given my clients with a solar birthday and a lunar one on day 30 of a 29-day month
    solar = ClientFactory(owner=agent, name="王芳", birthday_calendar="solar", birthday=dt.date(1985, 9, 27))
    lunar = ClientFactory(
        owner=agent, name="李强", birthday_calendar="lunar", lunar_birth_month=8, lunar_birth_day=30
    )
    # and a colleague's and another company's client born the same day, and a pool client
    ClientFactory(owner=colleague, birthday_calendar="solar", birthday=dt.date(1990, 9, 27))
    ClientFactory(owner=stranger, birthday_calendar="solar", birthday=dt.date(1990, 9, 27))
    ClientFactory(owner=None, store=agent.store, company=agent.company, birthday=dt.date(1990, 9, 27))
    # when I ask for late September to early October 2026
    items = occasions(api, "2026-09-20", "2026-10-10")
    # then I get my two clients' birthdays (the lunar 八月三十 on 八月廿九, 2026-10-09) ...
    birthdays = [(i["client_id"], i["name"], i["date"]) for i in items if i["kind"] == "birthday"]
    assert birthdays == [(solar.pk, "生日", "2026-09-27"), (lunar.pk, "农历生日", "2026-10-09")]
    # ... and 中秋 and 国庆 for each of them, 国庆 with its official days off
    festivals = {(i["client_id"], i["name"], i["date"], i["note"]) for i in items if i["kind"] != "birthday"}
    for client in (solar, lunar):
        assert (client.pk, "中秋节", "2026-09-25", "放假 2026年9月25日至2026年9月27日") in festivals
        assert (client.pk, "国庆节", "2026-10-01", "放假 2026年10月1日至2026年10月7日") in festivals
    assert {i["client_id"] for i in items} == {solar.pk, lunar.pk}


def test_a_lunar_birthday_is_in_the_window_only_on_one_of_its_days(api, agent):
    # given clients born 八月十五 (2026-09-25), 九月十五 and 八月初一: the window of late September
    # to early October 2026 holds 八月初十 to 九月初一, so the last two have a month and a day of
    # the window, never together
    mid_autumn = ClientFactory(
        owner=agent, birthday_calendar="lunar", lunar_birth_month=8, lunar_birth_day=15
    )
    ClientFactory(owner=agent, birthday_calendar="lunar", lunar_birth_month=9, lunar_birth_day=15)
    ClientFactory(owner=agent, birthday_calendar="lunar", lunar_birth_month=8, lunar_birth_day=1)
    # when I ask for the window
    items = occasions(api, "2026-09-20", "2026-10-10")
    # then only the first has a birthday in it
    birthdays = [(i["client_id"], i["name"], i["date"]) for i in items if i["kind"] == "birthday"]
    assert birthdays == [(mid_autumn.pk, "农历生日", "2026-09-25")]


def test_a_year_the_calendar_does_not_know_still_has_its_festivals_and_says_so(api, agent):
    client = ClientFactory(owner=agent)
    items = occasions(api, "2027-09-30", "2027-10-02")
    assert [(i["client_id"], i["kind"], i["date"], i["note"]) for i in items] == [
        (client.pk, "national_day", "2027-10-01", "2027年放假安排尚未公布")
    ]


def test_a_window_too_long_or_reversed_is_refused_in_chinese(api, agent):
    too_long = api.get("/api/v1/care/occasions", {"from": "2026-01-01", "to": "2026-12-31"})
    reversed_ = api.get("/api/v1/care/occasions", {"from": "2026-02-01", "to": "2026-01-01"})
    assert (too_long.status_code, too_long.json()["code"]) == (400, "occasions_window_too_long")
    assert too_long.json()["details"] == {"max_days": 62}
    assert (reversed_.status_code, reversed_.json()["code"]) == (400, "occasions_window_reversed")


def test_a_window_outside_the_lunar_calendars_years_is_refused(api, agent):
    ancient = api.get("/api/v1/care/occasions", {"from": "0001-01-01", "to": "0001-01-31"})
    ahead = api.get("/api/v1/care/occasions", {"from": "2099-12-20", "to": "2100-01-10"})
    inside = api.get("/api/v1/care/occasions", {"from": "2099-12-01", "to": "2099-12-31"})
    assert (ancient.status_code, ancient.json()["code"]) == (400, "occasions_window_out_of_range")
    assert "1901 年至 2099 年" in ancient.json()["message"]
    assert (ahead.status_code, ahead.json()["code"]) == (400, "occasions_window_out_of_range")
    assert inside.status_code == 200


def test_a_deal_closed_a_year_ago_has_its_anniversary_for_buyer_and_seller(
    api, listing, buyer, agent, manager, specialist, colleague
):
    # given a deal closed on 2025-11-03 (Beijing time, late in the evening)
    with time_machine.travel(dt.datetime(2025, 11, 3, 22, 30, tzinfo=BEIJING), tick=False):
        deal = signed_deal(listing, buyer, agent)
        finish_everything(deal, agent, manager)
        deal_close(deal=deal, by=agent)
    # when I ask for the first week of November 2026
    items = occasions(api, "2026-11-01", "2026-11-07")
    # then both sides have their first anniversary on the day
    anniversaries = {(i["client_id"], i["name"], i["date"]) for i in items if i["kind"] == "deal_anniversary"}
    assert anniversaries == {
        (deal.buyer_id, "成交1周年", "2026-11-03"),
        (deal.seller_id, "成交1周年", "2026-11-03"),
    }
    # and the year of the closing itself has none
    assert not [i for i in occasions(api, "2025-11-01", "2025-11-07") if i["kind"] == "deal_anniversary"]
    # and a colleague, whose clients they are not, sees neither anniversary
    _token, raw = token_create(user=colleague.user, name="测试")
    theirs = occasions(HttpClient(headers={"Authorization": f"Bearer {raw}"}), "2026-11-01", "2026-11-07")
    assert not [i for i in theirs if i["kind"] == "deal_anniversary"]


@time_machine.travel(dt.datetime(2028, 6, 30, 10, tzinfo=BEIJING), tick=False)
def test_the_workbench_shows_a_leap_month_birthday_in_the_next_days(agent):
    # given a client born on 闰五月初十 and one on the regular 五月初十 (2028 has a leap fifth month)
    leap = ClientFactory(
        owner=agent,
        name="闰月生",
        birthday_calendar="lunar",
        lunar_birth_month=5,
        lunar_birth_day=10,
        lunar_birth_leap=True,
    )
    ClientFactory(
        owner=agent, name="正月生", birthday_calendar="lunar", lunar_birth_month=5, lunar_birth_day=10
    )
    # when the agent's day is collected on 2028-06-30
    result = workbench.contribute(agent, dt.date(2028, 6, 30))
    # then the leap-month birthday (2028-07-02) is there and the regular one (2028-06-02, past) is not
    assert [(i.title, i.at, i.key) for i in result.items] == [
        ("闰月生 · 农历生日", dt.date(2028, 7, 2), f"birthday:{leap.pk}:2028-07-02")
    ]
