"""Partners (增值服务): ranked by rating and use, a poorly rated one flagged; a recommendation is
recorded and sent only with consent; after closing, the buyer gets tips and fitting partners."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient

from anju.clients.services import consent_record
from anju.messaging.models import Message, MessageKind
from anju.outreach.models import Recommendation
from anju.outreach.selectors import partners_directory
from anju.outreach.services import partner_rate, partner_recommend, partner_save
from anju.processing.services import deal_close
from tests.factories import ClientFactory
from tests.processing.conftest import buyer, listing, signed_deal, specialist
from tests.processing.test_close import finish_everything

pytestmark = pytest.mark.django_db
FIXTURES = (buyer, listing, specialist)  # the processing tests' fixtures, used here too
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def morning(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 10, tzinfo=BEIJING), tick=False)


def rate(partner, scores, agent):
    for score in scores:
        partner_rate(partner=partner, client=ClientFactory(owner=agent), score=score, by=agent)


def test_partners_rank_by_rating_and_use_and_a_poor_one_is_flagged(manager, agent):
    good = partner_save(by=manager, name="好邻居搬家", kind="moving", phone="027-88880001")
    fine = partner_save(by=manager, name="洁净保洁", kind="cleaning", phone="027-88880002")
    poor = partner_save(by=manager, name="马虎装修", kind="renovation", phone="027-88880003")
    unrated = partner_save(by=manager, name="新来的家电", kind="appliances", phone="027-88880004")
    rate(good, [5, 5, 4], agent)
    rate(fine, [4, 5], agent)
    rate(poor, [2, 3, 1], agent)
    partner_recommend(partner=fine, client=ClientFactory(owner=agent), by=agent)

    ranked = partners_directory(agent)

    assert [(p.name, p.flagged) for p in ranked] == [
        (good.name, False),
        (fine.name, False),
        (poor.name, True),
        (unrated.name, False),
    ]
    page = HttpClient()
    page.force_login(agent.user)
    html = page.get("/care/partners/").content.decode()
    assert html.index("好邻居搬家") < html.index("马虎装修")
    assert html.count('data-testid="flagged"') == 1


def test_a_recommendation_is_sent_only_on_a_consented_channel(morning, manager, agent, consenting):
    partner = partner_save(
        by=manager, name="好邻居搬家", kind="moving", phone="027-88880001", price_range="300–800元"
    )
    willing = consenting("wechat", name="李雷")
    unwilling = ClientFactory(owner=agent, name="韩梅梅")

    sent = partner_recommend(partner=partner, client=willing, by=agent)
    recorded = partner_recommend(partner=partner, client=unwilling, by=agent)

    assert (sent.channel, recorded.channel) == ("wechat", "")
    assert Recommendation.objects.count() == 2
    message = Message.objects.get()
    assert (message.client, message.kind, message.channel) == (willing, MessageKind.SERVICE, "wechat")
    assert "好邻居搬家" in message.text and "027-88880001" in message.text


def test_after_closing_the_buyer_gets_tips_and_fitting_partners(
    morning, listing, buyer, agent, manager, specialist, django_capture_on_commit_callbacks
):
    # given partners: one serving the flat's district, one elsewhere, one poorly rated
    district = listing.district.name
    partner_save(by=manager, name="本区搬家", kind="moving", phone="027-1", service_area=district)
    partner_save(by=manager, name="外区保洁", kind="cleaning", phone="027-2", service_area="不存在区")
    poor = partner_save(by=manager, name="差评装修", kind="renovation", phone="027-3")
    rate(poor, [1, 2], agent)
    consent_record(client=buyer, by=agent, channel="sms", granted=True, how="门店书面签字")
    deal = signed_deal(listing, buyer, agent)
    finish_everything(deal, agent, manager)
    # when the deal closes
    with django_capture_on_commit_callbacks(execute=True):
        deal_close(deal=deal, by=agent)
    # then the buyer gets the tips and the partner that fits, once
    message = Message.objects.get(idempotency_key=f"handover_care:{deal.pk}")
    assert (message.client_id, message.kind, message.channel) == (buyer.pk, MessageKind.SERVICE, "sms")
    assert "入住小贴士" in message.text and "本区搬家" in message.text
    assert "外区保洁" not in message.text and "差评装修" not in message.text
