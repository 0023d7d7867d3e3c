"""The 带看 pages: plan from a need's matches, the refusals on the page, confirm, feedback, sign."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from anju.listings.services import listing_reserve, listing_withdraw
from anju.showings.models import Showing, ShowingConfirmation
from tests.factories import ClientFactory
from tests.showings.conftest import home, signature_png, today_at, tomorrow_at


def plan_form(client, listings, starts_at, **extra):
    local = timezone.localtime(starts_at)
    return {
        "client": client.pk,
        "listings": [x.pk for x in listings],
        "day": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        **extra,
    }


def test_the_matches_page_offers_to_plan_the_ticked_homes(web, need, homes):
    # given a need's matches page
    page = web.get(f"/needs/{need.pk}/matches/").content.decode()
    # then each home can be ticked into one plan form
    assert 'id="plan-showing"' in page
    assert page.count('form="plan-showing"') == 3
    # when two are ticked and 安排带看 pressed
    response = web.get("/showings/new/", {"need": need.pk, "listing": [homes[0].pk, homes[1].pk]})
    # then the planning form has them ticked, the client chosen, and the map draws them from the store
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count('name="listings" value=') >= 2
    assert f'value="{homes[0].pk}" id="id_listings_0" checked' in text or "checked" in text
    assert text.count('data-testid="map-stop"') == 2
    assert 'data-testid="map-start"' in text
    assert "绕路系数 1.40" in text


def test_planning_on_the_page_shows_the_timetable_and_map(web, buyer, need, homes):
    # when planned through the page
    response = web.post("/showings/new/", {**plan_form(buyer, homes, tomorrow_at(10)), "need": need.pk})
    # then the showing page shows three stops in route order with their times
    showing = Showing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/showings/{showing.pk}/"
    page = web.get(response["Location"]).content.decode()
    assert page.count('data-testid="stop"') == 3
    assert page.index("近邻小区") < page.index("中段家园") < page.index("远景花园")
    assert page.count('data-testid="map-stop"') == 3
    assert "顺序为最短路线" in page
    # and the 带看 page lists it as upcoming
    listing = web.get("/showings/").content.decode()
    assert "王先生" in listing.split('data-testid="upcoming"')[1].split("</section>")[0]


def test_the_page_names_the_collision_the_off_market_and_the_stale_home(web, agent, buyer, homes):
    # given the agent already shows the near home at 10:00
    web.post("/showings/new/", plan_form(buyer, homes[1:2], tomorrow_at(10)))
    other = ClientFactory(owner=agent, name="李女士")
    # when another plan overlaps it
    clash = web.post("/showings/new/", plan_form(other, homes[2:3], tomorrow_at(10, 15)))
    # then the page says which showing it collides with, and nothing is planned
    assert clash.status_code == 400
    assert "与已有带看时间冲突" in clash.content.decode() and "王先生" in clash.content.decode()
    # and a withdrawn home and a stale one are refused, named
    listing_withdraw(listing=homes[0], by=agent)
    off = web.post("/showings/new/", plan_form(other, homes[0:1], tomorrow_at(14)))
    assert off.status_code == 400 and "远景花园" in off.content.decode() and "已下架" in off.content.decode()
    stale = home(agent, latitude="30.56", longitude="114.3", name="久未核实苑", verified_at=None)
    refused = web.post("/showings/new/", plan_form(other, [stale], tomorrow_at(14)))
    assert refused.status_code == 400 and "久未核实苑" in refused.content.decode()
    assert "待核实" in refused.content.decode()
    assert Showing.objects.count() == 1


@pytest.fixture
def planned(web, buyer, need, homes):
    with time_machine.travel(today_at(7), tick=False):
        web.post("/showings/new/", {**plan_form(buyer, homes[1:3], today_at(9)), "need": need.pk})
    return Showing.objects.get()


@time_machine.travel(today_at(8), tick=False)
def test_confirming_a_stop_on_the_page(web, store, planned):
    stop = planned.stops.order_by("order").first()
    response = web.post(
        f"/showings/{planned.pk}/stops/{stop.pk}/confirm/",
        {"agreed_by": "owner", "agreed_name": "陈业主", "access": "keys", "keys_store": store.pk},
    )
    assert response.status_code == 302
    page = web.get(f"/showings/{planned.pk}/").content.decode()
    assert "已确认" in page and "陈业主" in page
    assert "未与业主确认" in page  # the second stop


@time_machine.travel(today_at(8), tick=False)
def test_a_home_reserved_after_planning_is_blocked_on_the_page(web, agent, planned, homes):
    listing_reserve(listing=homes[1], by=agent)
    page = web.get(f"/showings/{planned.pk}/").content.decode()
    assert page.count('data-testid="stop-blocked"') == 1
    assert "已预定" in page.split('data-testid="stop-blocked"')[1][:200]


@time_machine.travel(today_at(11), tick=False)
def test_feedback_and_the_signature_on_the_page(web, buyer, planned):
    near, _middle = planned.stops.order_by("order")
    # when feedback is tapped in for the first stop
    response = web.post(
        f"/showings/{planned.pk}/stops/{near.pk}/feedback/",
        {
            "outcome": "shown",
            "interest": "4",
            "liked": ["采光", "户型"],
            "disliked": ["噪音"],
            "price_opinion": "high",
        },
    )
    assert response.status_code == 302
    page = web.get(f"/showings/{planned.pk}/").content.decode()
    assert "意向 4/5" in page and "采光、户型" in page
    # and the client signs
    data_url = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    signed = web.post(f"/showings/{planned.pk}/sign/", {"client_name": "王先生", "signature": data_url})
    assert signed.status_code == 302
    confirmation = ShowingConfirmation.objects.get()
    page = web.get(f"/showings/{planned.pk}/").content.decode()
    assert confirmation.sha256 in page
    image = web.get(f"/showings/{planned.pk}/confirmations/{confirmation.pk}/signature.png")
    assert image.status_code == 200 and image.content == signature_png()
    # and a second plain signing on the page changes nothing
    again = web.post(f"/showings/{planned.pk}/sign/", {"client_name": "别人", "signature": data_url})
    assert again.status_code == 400 and "更正单" in again.content.decode()
    assert ShowingConfirmation.objects.get().client_name == "王先生"


def test_no_page_edits_a_signed_confirmation(web, planned):
    # given every URL the showings pages have: the only one about a confirmation shows its image
    from anju.web.views.showings import urlpatterns

    routes = [str(p.pattern) for p in urlpatterns]
    assert [r for r in routes if "confirmations" in r] == [
        "showings/<int:showing_id>/confirmations/<int:confirmation_id>/signature.png"
    ]
    with time_machine.travel(today_at(9, 30), tick=False):
        data_url = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
        web.post(f"/showings/{planned.pk}/sign/", {"client_name": "王先生", "signature": data_url})
    confirmation = ShowingConfirmation.objects.get()
    url = f"/showings/{planned.pk}/confirmations/{confirmation.pk}/signature.png"
    # when something is posted to it
    assert web.post(url, {"client_name": "别人"}).status_code == 405
    # then the record is as signed, and its image still shows
    assert web.get(url).status_code == 200
    assert ShowingConfirmation.objects.get().client_name == "王先生"


def test_tomorrows_follow_up_is_on_the_workbench_after_feedback(web, buyer, planned):
    near = planned.stops.order_by("order").first()
    with time_machine.travel(today_at(11), tick=False):
        web.post(f"/showings/{planned.pk}/stops/{near.pk}/feedback/", {"outcome": "shown", "interest": "3"})
        page = web.get("/").content.decode()
    section = page.split('data-section="showings"')[1].split("</section>")[0]
    assert "王先生" in section and "明天跟进" in section
    buyer.refresh_from_db()
    assert buyer.next_follow_up_on == timezone.localdate() + dt.timedelta(days=1)


def test_the_follow_up_after_a_showing_starts_from_it(web, buyer, planned):
    # when the workbench's follow-up link opens the client page
    page = web.get(f"/clients/{buyer.pk}/?showing={planned.pk}").content.decode()
    # then the follow-up form names the homes seen, and the client's showings are listed
    form = page.split('id="interaction-form"')[1].split("</form>")[0]
    assert "带看后回访" in form and "近邻小区" in form and "中段家园" in form
    showings = page.split('data-testid="client-showings"')[1].split("</section>")[0]
    assert f"/showings/{planned.pk}/" in showings
    # and without the link the form is the plain one
    plain = web.get(f"/clients/{buyer.pk}/").content.decode().split('id="interaction-form"')[1]
    assert "带看后回访" not in plain.split("</form>")[0]
