"""Tiers where users meet them: the clients API (tier, tier_reasons, filter and sort), the client
list and page, the 客户服务 page, the care settings page and a manager's pin."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anju.care.models import TierChange
from anju.care.services import tier_pin, tiers_recompute
from tests.conftest import login
from tests.factories import ClientFactory, InteractionFactory
from tests.org.test_api_access import as_token


def _scored(agent, manager):
    """A pinned A, a C with referrals, and a D."""
    a = ClientFactory(owner=agent, name="甲客户")
    c = ClientFactory(owner=agent, name="丙客户")
    d = ClientFactory(owner=agent, name="丁客户")
    ClientFactory(owner=agent, referred_by=c)
    ClientFactory(owner=agent, referred_by=c)
    tier_pin(client=a, by=manager, tier="A", reason="大客户")
    tiers_recompute(company_id=agent.company_id)
    return a, c, d


def test_the_client_api_gives_the_tier_and_its_reasons(agent, manager):
    a, c, _d = _scored(agent, manager)
    api = as_token(agent)
    body = api.get(f"/api/v1/clients/{c.pk}").json()
    assert body["tier"] == "C"
    assert body["tier_reasons"] == ["近30天没有跟进和带看", "转介绍2位客户"]
    assert body["stage"] == "prospect"
    assert api.get(f"/api/v1/clients/{a.pk}").json()["tier_reasons"][0] == "手动分级：大客户"


def test_the_client_api_filters_and_sorts_by_tier(agent, manager):
    _a, c, _d = _scored(agent, manager)
    api = as_token(agent)
    only_c = api.get("/api/v1/clients?tier=C").json()["items"]
    assert [row["id"] for row in only_c] == [c.pk]
    by_tier = [row["tier"] for row in api.get("/api/v1/clients?sort=tier&limit=3").json()["items"]]
    assert by_tier == ["A", "C", "D"]
    assert api.get("/api/v1/clients?tier=E").status_code == 422


def test_the_client_list_filters_by_tier_and_the_client_page_shows_tier_and_reasons(web, agent, manager):
    _a, c, d = _scored(agent, manager)
    listed = web.get("/clients/?tier=C").content.decode()
    assert "丙客户" in listed and "丁客户" not in listed
    page = web.get(f"/clients/{c.pk}/").content.decode()
    assert 'data-testid="tier">C 类' in page
    assert "近30天没有跟进和带看，转介绍2位客户" in page
    # an agent sees no pin form; a manager does
    assert 'data-testid="pin-form"' not in page
    assert 'data-testid="pin-form"' in login(manager).get(f"/clients/{d.pk}/").content.decode()


def test_a_manager_pins_from_the_client_page_and_the_history_shows_it(agent, manager):
    # given
    client = ClientFactory(owner=agent, name="待升级")
    tiers_recompute(company_id=agent.company_id)
    web = login(manager)
    # when
    response = web.post(f"/clients/{client.pk}/tier/pin/", {"tier": "B", "reason": "准备置换"})
    # then
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.tier == "B"
    page = web.get(f"/clients/{client.pk}/").content.decode()
    assert "手动分级：准备置换" in page
    assert f'D → B\n        <span class="text-body-secondary">{manager.name}' in page
    # and an agent posting the same is refused, nothing changed
    login(agent).post(f"/clients/{client.pk}/tier/pin/", {"tier": "A", "reason": "我想"})
    client.refresh_from_db()
    assert client.tier == "B"
    assert TierChange.objects.filter(client=client).count() == 2


def test_the_care_page_shows_the_distribution_the_due_contacts_and_the_pins(web, agent, manager):
    # given
    _scored(agent, manager)
    ClientFactory(owner=agent, name="久未联系", last_contact_at=timezone.now() - dt.timedelta(days=20))
    InteractionFactory(client=ClientFactory(owner=agent, name="刚联系"))
    tiers_recompute(company_id=agent.company_id)
    # when
    page = web.get("/care/").content.decode()
    # then
    assert '<h1 class="h4 mb-0">客户服务</h1>' in page
    assert 'id="care-data"' in page
    assert 'data-tier-count="A">A 类 1' in page
    due = page.split('data-testid="care-due"')[1].split('data-testid="care-pins"')[0]
    assert "久未联系" in due and "刚联系" not in due
    assert "大客户" in page.split('data-testid="care-pins"')[1]
    assert 'data-testid="care-settings"' not in page  # settings are the managers'


def test_the_settings_page_refuses_a_prospect_interval_beyond_the_pool_days(manager, agent):
    web = login(manager)
    form = web.get("/care/settings/").content.decode()
    assert 'name="prospect_a_days"' in form and 'value="400"' in form  # 400万 shown in 万元
    values = {
        name: field
        for name, field in [
            ("recent_days", 30),
            ("interaction_points", 5),
            ("interaction_cap", 4),
            ("showing_points", 12),
            ("showing_cap", 3),
            ("budget_high_points", 25),
            ("budget_mid_points", 12),
            ("active_need_points", 10),
            ("open_deal_points", 40),
            ("past_deal_points", 20),
            ("referral_points", 15),
            ("tier_a_min", 60),
            ("tier_b_min", 35),
            ("tier_c_min", 15),
            ("prospect_a_days", 3),
            ("prospect_b_days", 7),
            ("prospect_c_days", 14),
            ("prospect_d_days", 30),
            ("transaction_days", 7),
            ("past_days", 30),
            ("budget_high_wan", 400),
            ("budget_mid_wan", 200),
        ]
    }
    refused = web.post("/care/settings/", values).content.decode()
    assert "不能超过公司的私客回池天数（15 天）" in refused
    saved = web.post("/care/settings/", {**values, "prospect_d_days": 10})
    assert saved.status_code == 302
    assert login(agent).get("/care/settings/").status_code == 403
