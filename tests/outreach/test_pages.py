"""The outreach pages a manager uses: greetings and settings, partners added, rated and recommended."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from anju.outreach.greetings import templates_of
from anju.outreach.models import OutreachSettings, Partner, PartnerRating, Recommendation
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def signed_in(agent) -> HttpClient:
    web = HttpClient()
    web.force_login(agent.user)
    return web


def test_a_manager_changes_the_birthday_greeting_and_sends_automatically(manager, agent):
    web = signed_in(manager)
    page = web.get("/care/greetings/")
    assert "今天是您的{occasion}" in page.content.decode()
    form = {f"greeting_{kind}": body for kind, body in templates_of(manager.company_id).items()}
    form |= {"greeting_birthday": "{name}，生日快乐！{signature}", "greetings_auto_send": "on"}
    form |= {"recent_contact_days": "5", "poor_rating_below": "3.5"}

    saved = web.post("/care/greetings/", form, follow=True)

    assert "已保存问候与推送设置。" in saved.content.decode()
    assert templates_of(manager.company_id)["birthday"] == "{name}，生日快乐！{signature}"
    settings = OutreachSettings.objects.get(company=manager.company)
    assert (settings.greetings_auto_send, settings.recent_contact_days) == (True, 5)
    # a placeholder the product does not know is refused, and nothing is saved
    refused = web.post(
        "/care/greetings/", form | {"greeting_birthday": "{nickname}生日快乐", "recent_contact_days": "1"}
    )
    assert "只能使用" in refused.content.decode()
    assert OutreachSettings.objects.get(company=manager.company).recent_contact_days == 5
    # and an agent may not open the page
    assert signed_in(agent).get("/care/greetings/").status_code == 403


def test_a_manager_adds_a_partner_an_agent_rates_and_recommends_it(manager, agent, stranger):
    created = signed_in(manager).post(
        "/care/partners/new/",
        {
            "name": "安心搬家",
            "kind": "搬家",
            "phone": "027-87650001",
            "service_area": "洪山区",
            "active": "on",
        },
    )
    partner = Partner.objects.get(name="安心搬家")
    assert created.status_code == 302 and partner.kind == "moving"
    client = ClientFactory(owner=agent, name="李雷")
    web = signed_in(agent)
    web.post(f"/care/partners/{partner.pk}/rate/", {"client": client.pk, "score": 5, "comment": "准时"})
    answer = web.post(f"/care/partners/{partner.pk}/recommend/", {"client": client.pk}, follow=True)
    assert PartnerRating.objects.get(partner=partner).score == 5
    assert Recommendation.objects.get(partner=partner).channel == ""
    assert "未授权任何渠道，未发送" in answer.content.decode()
    page = web.get(f"/care/partners/{partner.pk}/").content.decode()
    assert "★ 5.0" in page and "准时" in page
    # another company's agent sees no such partner
    assert signed_in(stranger).get(f"/care/partners/{partner.pk}/").status_code == 404
