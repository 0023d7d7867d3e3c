"""/api/v1/showings: plan in route order, refuse collisions and unplannable homes, confirm, cancel, .ics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from anju.listings.services import listing_reserve
from tests.factories import ClientFactory, CommunityFactory, ListingFactory, PropertyFactory
from tests.showings.conftest import as_token, home, tomorrow_at


def plan(api, client, listings, starts_at, **extra):
    body = {
        "client_id": client.pk,
        "starts_at": starts_at.isoformat(),
        "listing_ids": [x.pk for x in listings],
        **extra,
    }
    return api.post("/api/v1/showings", body, content_type="application/json")


def test_a_plan_orders_the_stops_into_the_shortest_route_and_states_its_assumptions(api, buyer, need, homes):
    # given three homes east of the store, listed far, near, middle
    far, near, middle = homes
    starts = tomorrow_at(9)
    # when the agent plans them
    response = plan(api, buyer, homes, starts, need_id=need.pk)
    # then the stops come near, middle, far, each timed from the previous point
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "planned"
    assert [s["listing_id"] for s in body["stops"]] == [near.pk, middle.pk, far.pk]
    assert [s["order"] for s in body["stops"]] == [1, 2, 3]
    first, second, _third = body["stops"]
    assert first["distance_m"] == pytest.approx(957, abs=3)  # 0.01° of longitude at 30.55°N
    assert dt.datetime.fromisoformat(first["arrive_at"]) == starts + dt.timedelta(
        minutes=first["travel_minutes"]
    )
    assert dt.datetime.fromisoformat(second["arrive_at"]) == dt.datetime.fromisoformat(
        first["leave_at"]
    ) + dt.timedelta(minutes=second["travel_minutes"])
    assert body["total_distance_m"] == sum(s["distance_m"] for s in body["stops"])
    assert body["total_travel_minutes"] == sum(s["travel_minutes"] for s in body["stops"])
    assert body["assumptions"]["speed_kmh"] == "20.0"
    assert body["assumptions"]["detour_factor"] == "1.40"
    assert body["assumptions"]["minutes_per_stop"] == 20
    assert body["starts_at"].endswith("+08:00")


def test_a_plan_starts_from_a_meeting_point_when_given(api, buyer, homes):
    # given a meeting point beyond the far home
    far, near, middle = homes
    start = {"latitude": "30.550000", "longitude": "114.370000", "label": "地铁站"}
    # when planned from there
    body = plan(api, buyer, homes, tomorrow_at(9), start=start, minutes_per_stop=30).json()
    # then the route runs back west
    assert [s["listing_id"] for s in body["stops"]] == [far.pk, middle.pk, near.pk]
    assert body["start"]["label"] == "地铁站"
    assert body["assumptions"]["minutes_per_stop"] == 30


def test_a_store_without_coordinates_needs_a_start(api, agent, store, buyer, homes):
    # given the store has no coordinates
    store.latitude = store.longitude = None
    store.save()
    # when planned without a start
    response = plan(api, buyer, homes[:1], tomorrow_at(9))
    # then the agent is asked for one
    assert response.status_code == 400
    assert response.json()["code"] == "start_required"
    assert "坐标" in response.json()["message"]


def test_a_double_booked_agent_is_refused_naming_the_other_showing(api, agent, buyer, homes):
    # given the agent shows the near home from 9:00
    first = plan(api, buyer, homes[1:2], tomorrow_at(9)).json()
    other = ClientFactory(owner=agent, name="李女士")
    # when another showing is planned inside that time
    response = plan(api, other, homes[2:3], tomorrow_at(9, 10))
    # then 409 names the showing it collides with
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert "王先生" in body["message"] and f"#{first['id']}" in body["message"]
    assert body["details"]["showing_id"] == first["id"]
    # and one planned after it ends is accepted
    later = plan(api, other, homes[2:3], dt.datetime.fromisoformat(first["ends_at"]))
    assert later.status_code == 201


def test_a_listing_shown_to_someone_else_at_that_time_is_refused(api, colleague, buyer, homes):
    # given a colleague shows the near home at 9:00
    theirs = ClientFactory(owner=colleague, name="赵先生")
    taken = plan(as_token(colleague), theirs, homes[1:2], tomorrow_at(9)).json()
    # when the agent plans the same home at the same time
    response = plan(api, buyer, homes[1:2], tomorrow_at(8, 55))
    # then 409 names the colleague's showing
    assert response.status_code == 409
    assert response.json()["details"] == {"showing_id": taken["id"], "listing_id": homes[1].pk}
    assert "李娜" in response.json()["message"]
    # and once that showing is cancelled the slot is free
    as_token(colleague).post(f"/api/v1/showings/{taken['id']}/cancel", {}, content_type="application/json")
    assert plan(api, buyer, homes[1:2], tomorrow_at(8, 55)).status_code == 201


def test_a_listing_off_the_market_is_refused_naming_it(api, agent, buyer, homes):
    # given the middle home is reserved
    listing_reserve(listing=homes[2], by=agent)
    # when planned with it
    response = plan(api, buyer, homes, tomorrow_at(9))
    # then 400 names it and its status
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "listing_not_available"
    assert "中段家园" in body["message"] and "已预定" in body["message"]
    assert body["details"]["listing_id"] == homes[2].pk
    # and without it the plan goes through
    assert plan(api, buyer, [homes[0], homes[1]], tomorrow_at(9)).status_code == 201


def test_a_stale_listing_is_refused_naming_it(api, agent, buyer, homes):
    # given a home not verified for longer than the company's freshness window
    stale = home(
        agent,
        latitude="30.56",
        longitude="114.30",
        name="久未核实苑",
        verified_at=timezone.now() - dt.timedelta(days=agent.company.listing_fresh_days + 1),
    )
    # when planned
    response = plan(api, buyer, [homes[1], stale], tomorrow_at(9))
    # then 400 says it must be verified first
    assert response.status_code == 400
    assert response.json()["code"] == "listing_stale"
    assert "久未核实苑" in response.json()["message"] and "核实" in response.json()["message"]
    assert plan(api, buyer, [homes[1]], tomorrow_at(9)).status_code == 201


def test_a_listing_whose_community_has_no_coordinates_is_refused_naming_it(api, agent, buyer, homes):
    # given a home in a community imported without coordinates (allowed: it just cannot be routed to)
    community = CommunityFactory(company=agent.company, name="无坐标苑", latitude=None, longitude=None)
    unplaced = ListingFactory(
        agent=agent,
        property=PropertyFactory(company=agent.company, community=community),
        verified_at=timezone.now(),
    )
    # when planned with a home that has them
    response = plan(api, buyer, [homes[1], unplaced], tomorrow_at(9))
    # then 400 names the community and says what to do, and nothing is planned
    assert response.status_code == 400
    assert response.json()["code"] == "community_location_missing"
    assert "无坐标苑" in response.json()["message"] and "坐标" in response.json()["message"]
    assert plan(api, buyer, [homes[1]], tomorrow_at(9)).status_code == 201


def test_a_showing_during_the_agents_own_open_day_is_refused_naming_it(api, agent, buyer, homes):
    from anju.showings.open_days import open_day_schedule

    # given the agent hosts an open day tomorrow from 9:00 to 11:00
    open_day_schedule(
        listing=homes[0], by=agent, starts_at=tomorrow_at(9), ends_at=tomorrow_at(11), capacity=5
    )
    # when a showing is planned for 10:00 the same day
    response = plan(api, buyer, [homes[1]], tomorrow_at(10))
    # then 409 names the open day; later the same afternoon the agent is free
    assert response.status_code == 409
    assert "开放日" in response.json()["message"]
    assert plan(api, buyer, [homes[1]], tomorrow_at(14)).status_code == 201


def test_confirming_a_stop_records_who_agreed_and_how_to_get_in(api, agent, store, buyer, homes):
    # given a planned showing
    body = plan(api, buyer, homes[:2], tomorrow_at(9)).json()
    stop = body["stops"][0]
    # when the owner agrees and the keys are at the store
    response = api.post(
        f"/api/v1/showings/{body['id']}/stops/{stop['id']}/confirm",
        {"agreed_by": "owner", "agreed_name": "陈业主", "access": "keys", "keys_store_id": store.pk},
        content_type="application/json",
    )
    # then the stop is confirmed, the other is not
    assert response.status_code == 200, response.json()
    stops = response.json()["stops"]
    assert stops[0]["confirmed"] and stops[0]["agreed_name"] == "陈业主" and stops[0]["access"] == "keys"
    assert stops[0]["keys_store_id"] == store.pk
    assert not stops[1]["confirmed"]
    # and a code lock needs its code
    refused = api.post(
        f"/api/v1/showings/{body['id']}/stops/{stops[1]['id']}/confirm",
        {"agreed_by": "tenant", "agreed_name": "租户", "access": "code"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "access_code_required"


def test_a_listing_reserved_after_planning_blocks_its_stop(api, agent, buyer, homes):
    # given a planned showing
    body = plan(api, buyer, homes[1:3], tomorrow_at(9)).json()
    # when one home is reserved afterwards
    listing_reserve(listing=homes[1], by=agent)
    # then its stop says so, the other does not, and it cannot be confirmed
    again = api.get(f"/api/v1/showings/{body['id']}").json()
    blocked = {s["listing_id"]: s["blocked"] for s in again["stops"]}
    assert "已预定" in blocked[homes[1].pk]
    assert blocked[homes[2].pk] == ""
    stop_id = next(s["id"] for s in again["stops"] if s["listing_id"] == homes[1].pk)
    response = api.post(
        f"/api/v1/showings/{body['id']}/stops/{stop_id}/confirm",
        {"agreed_by": "owner", "agreed_name": "陈业主", "access": "owner"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "stop_blocked"


def test_the_list_filters_by_agent_and_time(api, agent, colleague, buyer, homes):
    # given the agent's showing tomorrow and the day after
    one = plan(api, buyer, homes[1:2], tomorrow_at(9)).json()
    two = plan(api, buyer, homes[1:2], tomorrow_at(9) + dt.timedelta(days=1)).json()
    # when listed for tomorrow only
    day = tomorrow_at(0)
    body = api.get(
        "/api/v1/showings",
        {"agent": agent.pk, "from": day.isoformat(), "to": (day + dt.timedelta(days=1)).isoformat()},
    ).json()
    # then only tomorrow's is there; without bounds both, the earliest first
    assert [s["id"] for s in body["items"]] == [one["id"]]
    assert [s["id"] for s in api.get("/api/v1/showings").json()["items"]] == [one["id"], two["id"]]
    # and a colleague (not a manager) sees neither
    assert as_token(colleague).get("/api/v1/showings").json()["items"] == []
    assert as_token(colleague).get(f"/api/v1/showings/{one['id']}").status_code == 403


def test_a_stranger_gets_404(api, stranger, buyer, homes):
    body = plan(api, buyer, homes[1:2], tomorrow_at(9)).json()
    assert as_token(stranger).get(f"/api/v1/showings/{body['id']}").status_code == 404


def test_cancel_moves_the_showing_once(api, buyer, homes):
    body = plan(api, buyer, homes[1:2], tomorrow_at(9)).json()
    url = f"/api/v1/showings/{body['id']}/cancel"
    first = api.post(url, {"reason": "客户临时有事"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["status"] == "cancelled"
    assert first.json()["cancel_reason"] == "客户临时有事"
    again = api.post(url, {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_the_ics_has_one_event_per_stop_in_shanghai_time(api, buyer, homes):
    # given a showing of three stops
    body = plan(api, buyer, homes, tomorrow_at(9)).json()
    # when its calendar is downloaded
    response = api.get(f"/api/v1/showings/{body['id']}/calendar.ics")
    # then a calendar parser reads one event per stop, in route order, at the planned times
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    for event, stop in zip(events, body["stops"], strict=True):
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == "Asia/Shanghai"
        assert start == dt.datetime.fromisoformat(stop["arrive_at"])
        assert event.decoded("dtend") == dt.datetime.fromisoformat(stop["leave_at"])
        assert stop["listing_label"] in str(event.get("summary"))
