"""客户 pages: intake on a phone, the client page, reveals, claiming, transfer and merging."""

from __future__ import annotations

from anju.clients.models import Client, OwnershipChange, RevealLog
from tests.conftest import login
from tests.factories import ClientFactory

INTAKE = {"name": "王芳", "mobile": "139 0000 1111", "source": "online", "tags": "学区房，首套"}


def test_agent_records_a_client_and_lands_on_the_client_page(web, agent):
    response = web.post(
        "/clients/new/",
        {**INTAKE, "consent_channels": ["sms", "wechat"], "consent_how": "门店书面签字"},
        follow=True,
    )
    client = Client.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/clients/{client.pk}/"
    assert "已录入客户“王芳”。" in page
    assert "13900001111" in page  # the owner sees the full number
    assert sorted(t.name for t in client.tags.all()) == ["学区房", "首套"]
    assert set(client.consents.values_list("channel", flat=True)) == {"sms", "wechat"}


def test_a_duplicate_mobile_is_refused_on_the_form_with_whose_client_it_is(web, agent, colleague):
    ClientFactory(owner=colleague, name="老客户", mobile="13900001111")
    page = web.post("/clients/new/", INTAKE).content.decode()
    assert "已是李娜（光谷店）的客户，未重复创建。" in page
    assert 'data-testid="duplicate"' not in page  # not the agent's to open
    assert Client.objects.count() == 1


def test_an_invalid_mobile_is_shown_next_to_the_field(web):
    page = web.post("/clients/new/", {**INTAKE, "mobile": "12345"}).content.decode()
    assert "不是有效的中国大陆电话号码" in page
    assert not Client.objects.exists()


def test_pool_client_page_masks_the_number_until_revealed_with_a_reason(web, agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company, mobile="13900001111")
    page = web.get(f"/clients/{pool.pk}/").content.decode()
    assert "139****1111" in page
    assert "13900001111" not in page
    fragment = web.post(
        f"/clients/{pool.pk}/reveal/",
        {"field": "mobile", "reason": "客户来电"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "13900001111" in fragment
    assert RevealLog.objects.get().reason == "客户来电"


def test_reveal_without_a_reason_shows_nothing_and_logs_nothing(web, agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company, mobile="13900001111")
    response = web.post(f"/clients/{pool.pk}/reveal/", {"field": "mobile", "reason": ""})
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "139****1111" in fragment and "请填写查看号码的原因。" in fragment
    assert "13900001111" not in fragment
    assert not RevealLog.objects.exists()


def test_claiming_from_the_page(web, agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company)
    response = web.post(f"/clients/{pool.pk}/claim/", follow=True)
    pool.refresh_from_db()
    assert pool.owner == agent
    assert "已认领" in response.content.decode()


def test_colleagues_client_pages_and_actions_are_forbidden(web, colleague):
    theirs = ClientFactory(owner=colleague)
    for method, path in [
        ("get", ""),
        ("get", "edit/"),
        ("post", "claim/"),
        ("post", "release/"),
        ("post", "reveal/"),
    ]:
        response = getattr(web, method)(f"/clients/{theirs.pk}/{path}", {"reason": "x"})
        assert response.status_code == 403, path
    theirs.refresh_from_db()
    assert theirs.owner == colleague


def test_another_companys_client_pages_are_not_found(web, stranger):
    theirs = ClientFactory(owner=None, store=None, company=stranger.company)
    assert web.get(f"/clients/{theirs.pk}/").status_code == 404
    assert web.post(f"/clients/{theirs.pk}/claim/").status_code == 404


def test_manager_transfers_and_merges_from_the_page(manager, agent, colleague):
    client = ClientFactory(owner=agent, mobile="13900001111")
    dup = ClientFactory(owner=agent, mobile="13900002222")
    web = login(manager)
    web.post(f"/clients/{client.pk}/transfer/", {"to_agent": colleague.pk})
    web.post(f"/clients/{client.pk}/merge/", {"other_mobile": "13900002222"})
    client.refresh_from_db()
    dup.refresh_from_db()
    assert client.owner == colleague
    assert dup.merged_into == client
    assert list(
        OwnershipChange.objects.filter(client=client).values_list("reason", flat=True).order_by("id")
    ) == ["transfer", "merge"]


def test_agents_cannot_merge_from_the_page(web, agent):
    client, dup = ClientFactory(owner=agent), ClientFactory(owner=agent, mobile="13900002222")
    assert web.post(f"/clients/{client.pk}/merge/", {"other_mobile": "13900002222"}).status_code == 403
    dup.refresh_from_db()
    assert dup.merged_into is None


def test_client_list_finds_by_the_last_four_digits(web, agent):
    ClientFactory(owner=agent, name="王芳", mobile="13900005678")
    ClientFactory(owner=agent, name="李强", mobile="13900001234")
    page = web.get("/clients/?scope=all&q=5678").content.decode()
    assert "王芳" in page and "李强" not in page


def test_reveal_log_is_for_managers(web, manager, agent):
    pool = ClientFactory(owner=None, store=None, company=agent.company)
    web.post(f"/clients/{pool.pk}/reveal/", {"field": "mobile", "reason": "回拨"})
    assert web.get("/clients/reveals/").status_code == 403
    assert "回拨" in login(manager).get("/clients/reveals/").content.decode()


def test_a_number_shown_in_full_is_a_tap_to_call_link_and_a_masked_one_is_not(web, agent, colleague):
    # given one client of the agent's own and one of a colleague's (shown masked)
    own = ClientFactory(owner=agent, name="自己的", mobile="13900001111")
    other = ClientFactory(owner=colleague, name="同事的", mobile="13900002222")
    # when
    own_page = web.get(f"/clients/{own.pk}/").content.decode()
    listing = web.get("/clients/").content.decode()
    # then
    assert '<a class="text-nowrap" href="tel:13900001111">13900001111</a>' in own_page
    assert 'href="tel:13900001111"' in listing
    assert "tel:13900002222" not in listing
    assert other.masked_mobile in listing or "同事的" not in listing
