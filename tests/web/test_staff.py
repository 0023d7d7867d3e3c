"""设置 · 门店与员工: administrators manage the company's staff, managers their store's agents."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from anju.org.models import Agent, Store
from tests.conftest import login
from tests.factories import AgentFactory, ClientFactory

NEW_AGENT = {
    "username": "liuyang",
    "name": "刘洋",
    "mobile": "13900001111",
    "role": "agent",
    "password": "anju-demo-2026",
}


def test_plain_agents_cannot_open_staff_management(web):
    response = web.get("/settings/staff/")
    assert response.status_code == 403
    assert "只有店长和管理员可以管理员工。" in response.content.decode()


def test_admin_adds_an_agent_who_can_then_sign_in(admin_agent, store):
    # when
    response = login(admin_agent).post("/settings/staff/new/", {**NEW_AGENT, "store": store.pk}, follow=True)
    # then
    assert "已添加员工“刘洋”，用户名 liuyang。" in response.content.decode()
    created = Agent.objects.get(user__username="liuyang")
    assert (created.store, created.company, created.role) == (store, admin_agent.company, "agent")
    assert created.user.check_password("anju-demo-2026")


def test_a_weak_password_or_missing_store_is_refused_and_nothing_is_created(admin_agent, store):
    web = login(admin_agent)
    weak = web.post("/settings/staff/new/", {**NEW_AGENT, "store": store.pk, "password": "12345678"})
    storeless = web.post("/settings/staff/new/", {**NEW_AGENT})
    assert "这个密码太常见了。" in weak.content.decode()
    assert "除管理员外，员工必须属于一个门店。" in storeless.content.decode()
    assert not get_user_model().objects.filter(username="liuyang").exists()


def test_manager_adds_agents_only_to_their_own_store_and_only_as_agents(manager, other_store):
    web = login(manager)
    # when the manager tries another store or a higher role
    other = web.post("/settings/staff/new/", {**NEW_AGENT, "store": other_store.pk})
    promoted = web.post("/settings/staff/new/", {**NEW_AGENT, "store": manager.store_id, "role": "admin"})
    # then both are refused
    assert "选择一个有效的选项" in other.content.decode()
    assert "选择一个有效的选项" in promoted.content.decode()
    assert not Agent.objects.filter(user__username="liuyang").exists()
    # and the plain case works
    web.post("/settings/staff/new/", {**NEW_AGENT, "store": manager.store_id})
    assert Agent.objects.get(user__username="liuyang").store_id == manager.store_id


def test_manager_sees_only_their_store_and_cannot_manage_other_managers(manager, agent, other_store):
    # given
    elsewhere = AgentFactory(store=other_store, company=other_store.company, name="别店的人")
    peer = AgentFactory(store=manager.store, company=manager.company, role="manager", name="另一位店长")
    web = login(manager)
    # then
    page = web.get("/settings/staff/").content.decode()
    assert agent.name in page
    assert "别店的人" not in page
    assert web.get(f"/settings/staff/{elsewhere.pk}/").status_code == 403
    assert web.get(f"/settings/staff/{peer.pk}/").status_code == 403


def test_another_companys_staff_is_not_found(admin_agent, stranger):
    assert login(admin_agent).get(f"/settings/staff/{stranger.pk}/").status_code == 404


def test_deactivated_agent_cannot_sign_in_and_keeps_their_clients(admin_agent, agent):
    # given
    client = ClientFactory(owner=agent)
    # when
    login(admin_agent).post(f"/settings/staff/{agent.pk}/active/", {"active": "0"})
    # then
    agent.refresh_from_db()
    agent.user.refresh_from_db()
    client.refresh_from_db()
    assert not agent.is_active
    assert not agent.user.is_active
    assert client.owner_id == agent.pk


def test_the_only_administrator_cannot_demote_or_stop_themselves(admin_agent, store):
    # given admin_agent is the company's only administrator
    web = login(admin_agent)
    # when
    demoted = web.post(
        f"/settings/staff/{admin_agent.pk}/", {"name": "赵管理", "role": "agent", "store": store.pk}
    )
    stopped = web.post(f"/settings/staff/{admin_agent.pk}/active/", {"active": "0"}, follow=True)
    # then
    assert "公司至少需要一位在职管理员。" in demoted.content.decode()
    assert "不能停用自己的账号。" in stopped.content.decode()
    admin_agent.refresh_from_db()
    assert (admin_agent.role, admin_agent.is_active) == ("admin", True)


def test_an_administrator_can_be_stopped_while_another_remains(admin_agent):
    second = AgentFactory(store=None, company=admin_agent.company, role="admin", name="二号管理员")
    login(admin_agent).post(f"/settings/staff/{second.pk}/active/", {"active": "0"})
    second.refresh_from_db()
    assert not second.is_active


def test_admin_changes_role_and_store(admin_agent, agent, other_store):
    login(admin_agent).post(
        f"/settings/staff/{agent.pk}/",
        {"name": "张伟", "role": "manager", "store": other_store.pk, "mobile": ""},
    )
    agent.refresh_from_db()
    assert (agent.role, agent.store) == ("manager", other_store)


def test_admin_resets_a_password(admin_agent, agent):
    login(admin_agent).post(f"/settings/staff/{agent.pk}/password/", {"password": "brand-new-2026"})
    agent.user.refresh_from_db()
    assert agent.user.check_password("brand-new-2026")


def test_admin_adds_a_store_once(admin_agent):
    web = login(admin_agent)
    web.post("/settings/staff/", {"name": "中北路店", "address": "武昌区中北路1号", "phone": ""})
    again = web.post("/settings/staff/", {"name": "中北路店"})
    assert Store.objects.filter(company=admin_agent.company, name="中北路店").count() == 1
    assert "门店“中北路店”已存在。" in again.content.decode()


def test_manager_cannot_add_stores(manager):
    assert login(manager).post("/settings/staff/", {"name": "新店"}).status_code == 403
    assert not Store.objects.filter(name="新店").exists()


def test_admin_locates_an_existing_store_from_the_staff_page(admin_agent, store):
    # given the staff page links to the store's edit page
    web = login(admin_agent)
    page = web.get("/settings/staff/").content.decode()
    assert f'href="/settings/stores/{store.pk}/"' in page
    # when the administrator renames it and gives its coordinates
    response = web.post(
        f"/settings/stores/{store.pk}/",
        {
            "name": "光谷旗舰店",
            "address": "洪山区光谷步行街",
            "phone": "",
            "latitude": "30.5052",
            "longitude": "114.3978",
        },
        follow=True,
    )
    # then the store is saved and showings can start from it
    store.refresh_from_db()
    assert (store.name, store.latitude, store.longitude) == (
        "光谷旗舰店",
        Decimal("30.505200"),
        Decimal("114.397800"),
    )
    assert "已保存门店“光谷旗舰店”。" in response.content.decode()


def test_store_coordinates_outside_china_are_refused_in_chinese_and_nothing_is_saved(admin_agent, store):
    # given a store without coordinates
    web = login(admin_agent)
    # when the administrator types 0,0 (a typing slip) or only a latitude
    zero = web.post(f"/settings/stores/{store.pk}/", {"name": "新名字", "latitude": "0", "longitude": "0"})
    half = web.post(f"/settings/stores/{store.pk}/", {"name": "新名字", "latitude": "30.5"})
    # then both are refused in Chinese and the store is unchanged
    assert "门店坐标不在中国境内" in zero.content.decode()
    assert "门店的纬度和经度要一起填写。" in half.content.decode()
    store.refresh_from_db()
    assert (store.name, store.latitude, store.longitude) == ("光谷店", None, None)


def test_only_administrators_of_the_company_edit_a_store(manager, stranger, store):
    # given a manager of the store and an agent of another company
    # when each opens the store's edit page
    # then the manager is refused (403), the stranger does not find it (404), and the store's link is not shown
    assert login(manager).get(f"/settings/stores/{store.pk}/").status_code == 403
    assert login(stranger).get(f"/settings/stores/{store.pk}/").status_code == 404
    page = login(manager).get("/settings/staff/").content.decode()
    assert "光谷店" in page
    assert "/settings/stores/" not in page
