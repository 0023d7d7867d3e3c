"""The pages of personal information rights: the export and erase buttons for a manager, the confirm
step, the erased client's page, and the audit view of staff access with its filters."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.clients import services
from anju.clients.models import AccessKind, Client, PersonalDataAccess
from tests.conftest import login
from tests.factories import ClientFactory


def test_a_manager_has_the_buttons_and_an_agent_has_not(web, agent, manager):
    client = ClientFactory(owner=agent, name="钱多多")
    as_manager = login(manager).get(f"/clients/{client.pk}/").content.decode()
    as_agent = web.get(f"/clients/{client.pk}/").content.decode()
    assert (
        'data-testid="export-personal-data"' in as_manager
        and 'data-testid="erase-personal-data"' in as_manager
    )
    assert (
        'data-testid="export-personal-data"' not in as_agent
        and 'data-testid="erase-personal-data"' not in as_agent
    )
    assert web.get(f"/clients/{client.pk}/erase/").status_code == 403
    assert web.post(f"/clients/{client.pk}/export/").status_code == 403


def test_the_export_downloads_a_json_file_and_is_logged(agent, manager):
    client = ClientFactory(owner=agent, name="钱多多", mobile="13900003333")
    response = login(manager).post(f"/clients/{client.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="client-')
    assert json.loads(response.content)["sections"]["client"]["rows"][0]["mobile"] == "13900003333"
    assert PersonalDataAccess.objects.filter(kind=AccessKind.EXPORT, agent=manager, client=client).exists()


def test_the_erasure_asks_for_the_name_then_the_page_says_erased(agent, manager):
    # given
    client = ClientFactory(owner=agent, name="钱多多", mobile="13900003333")
    web = login(manager)

    # when: the wrong name, then the right one
    wrong = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": "钱多"})
    right = web.post(f"/clients/{client.pk}/erase/", {"confirm_name": "钱多多"}, follow=True)

    # then
    assert "请输入客户姓名以确认删除。" in wrong.content.decode()
    page = right.content.decode()
    assert "已按个人信息保护法删除" in page and "13900003333" not in page
    assert Client.objects.get(pk=client.pk).erased_at is not None
    assert "钱多多" not in web.get("/clients/?scope=all").content.decode()


def test_the_audit_view_filters_and_its_query_count_is_pinned(agent, colleague, manager):
    # given: reveals by two agents, an export by the manager
    one = ClientFactory(owner=None, store=None, company=agent.company, name="公客甲")
    services.client_reveal(client=one, viewer=agent, field="mobile", reason="回拨甲")
    web = login(manager)
    with CaptureQueriesContext(connection) as few:
        assert web.get("/clients/personal-data/").status_code == 200
    for n in range(5):
        other = ClientFactory(owner=None, store=None, company=agent.company, name=f"公客{n}")
        services.client_reveal(client=other, viewer=colleague, field="mobile", reason=f"回拨{n}")
    services.client_export(client=one, by=manager)

    # when
    with CaptureQueriesContext(connection) as many:
        everything = web.get("/clients/personal-data/").content.decode()
    by_agent = web.get(f"/clients/personal-data/?agent={agent.pk}").content.decode()
    exports = web.get("/clients/personal-data/?kind=export").content.decode()
    of_client = web.get(f"/clients/personal-data/?client={one.pk}").content.decode()

    # then
    assert len(many.captured_queries) == len(few.captured_queries)
    assert everything.count('data-access="reveal"') == 6 and everything.count('data-access="export"') == 1
    assert by_agent.count("data-access=") == 1 and "回拨甲" in by_agent
    assert exports.count("data-access=") == 1 and 'data-access="export"' in exports
    assert of_client.count("data-access=") == 2
    assert login(agent).get("/clients/personal-data/").status_code == 403
    assert 'data-testid="personal-data-log"' in web.get("/clients/").content.decode()
