"""个人信息保护法 for one client: the export holds every section, the erasure leaves no personal value
outside the records kept by law, and every access by staff is in one log a manager reads."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from anju.clients import services
from anju.clients.models import AccessKind, Channel, Client, PersonalDataAccess
from anju.clients.selectors import AccessFilters, ClientFilters, client_search, personal_data_accesses
from anju.core.errors import ApplicationError
from anju.core.personal_data import registered_sections
from anju.messaging.gate import exclusion
from anju.needs.models import Need, NeedStatus
from tests.factories import ClientFactory, InteractionFactory, NeedFactory
from tests.org.test_api_access import as_token
from tests.privacy.scan import find, unscanned_tables

NAME = "欧阳予希"
MOBILE = "13912345678"
SECOND = "027-87654321"
ID_NUMBER = "420106198503120011"
EMAIL = "ouyang.yuxi@example.com"
NOTES = "喜欢南向三居室，女儿在水果湖一小上学"


def personal_client(agent) -> Client:
    client = services.client_create(
        agent=agent,
        name=NAME,
        mobile=MOBILE,
        source="store_visit",
        consents=[services.ConsentInput(channel="sms", granted=True, how="门店书面签字")],
    )
    return services.client_update(
        client=client,
        by=agent,
        second_phone=SECOND,
        id_number=ID_NUMBER,
        email=EMAIL,
        notes=NOTES,
        birthday=services.Birthday(calendar="solar", solar=dt.date(1985, 3, 12)),
    )


VALUES = [NAME, MOBILE, SECOND, ID_NUMBER, EMAIL, NOTES, "水果湖一小", "1985-03-12"]


@pytest.fixture
def client_with_records(agent, manager):
    client = personal_client(agent)
    InteractionFactory(client=client, agent=agent, summary=f"{NAME}来电，{NOTES}")
    services.client_reveal(client=client, viewer=manager, field="mobile", reason="回电确认看房时间")
    NeedFactory(client=client, agent=agent, must_haves=f"联系人{NAME} {MOBILE}")
    return client


def test_the_export_holds_every_section_and_is_logged(client_with_records, manager):
    # when
    export = services.client_export(client=client_with_records, by=manager)

    # then
    document = json.loads(export.content)
    assert set(document["sections"]) == set(registered_sections())
    sections = document["sections"]
    assert sections["client"]["rows"][0]["mobile"] == MOBILE
    assert sections["client"]["rows"][0]["id_number"] == ID_NUMBER
    assert sections["client"]["rows"][0]["birthday"] == "1985-03-12"
    assert NAME in sections["interactions"]["rows"][0]["summary"]
    assert [c["channel"] for c in sections["consents"]["rows"]] == ["短信"]
    assert sections["reveals"]["rows"][0]["reason"] == "回电确认看房时间"
    assert MOBILE in sections["needs"]["rows"][0]["must_haves"]
    assert {a["kind"] for a in sections["accesses"]["rows"]} == {"查看号码", "导出个人信息"}
    assert export.filename.startswith(f"client-{client_with_records.pk}-personal-data-")
    logged = PersonalDataAccess.objects.get(kind=AccessKind.EXPORT)
    assert (logged.agent, logged.client) == (manager, client_with_records)


def test_an_agent_may_not_export_or_erase(client_with_records, agent):
    with pytest.raises(PermissionDenied):
        services.client_export(client=client_with_records, by=agent)
    with pytest.raises(PermissionDenied):
        services.client_erase(client=client_with_records, by=agent, confirm_name=NAME)
    assert not PersonalDataAccess.objects.filter(kind__in=[AccessKind.EXPORT, AccessKind.ERASURE]).exists()


def test_the_erasure_needs_the_name_typed_again(client_with_records, manager):
    with pytest.raises(ApplicationError) as refused:
        services.client_erase(client=client_with_records, by=manager, confirm_name="欧阳")
    assert refused.value.code == "confirm_name_mismatch"
    client_with_records.refresh_from_db()
    assert client_with_records.erased_at is None and client_with_records.mobile == MOBILE


def test_erasure_leaves_no_personal_value_in_any_table(client_with_records, manager, agent):
    # given: the scan sees the values where they are (the positive control)
    assert unscanned_tables() == set()
    before = {(hit.model, hit.column) for hit in find(VALUES)}
    assert {
        ("clients.Client", "name"),
        ("clients.Client", "mobile"),
        ("clients.Client", "id_number"),
        ("clients.Client", "notes"),
        ("clients.HistoricalClient", "name"),
        ("clients.HistoricalClient", "second_phone"),
        ("clients.HistoricalClient", "email"),
        ("clients.Interaction", "summary"),
        ("needs.Need", "must_haves"),
        ("needs.HistoricalNeed", "must_haves"),
    } <= before

    # when
    services.client_erase(client=client_with_records, by=manager, confirm_name=NAME)

    # then
    assert find(VALUES) == []
    client = Client.objects.get(pk=client_with_records.pk)
    assert client.name == "已删除客户" and client.birthday is None and client.erased_at is not None
    assert not Client.history.model.objects.filter(id=client.pk, birthday__isnull=False).exists()
    assert {c.granted for c in services.current_consents(client).values()} == {False}
    assert set(services.current_consents(client)) == set(Channel.values)
    assert Need.objects.get(client=client).status == NeedStatus.GIVEN_UP


def test_an_erased_client_is_in_no_list_cannot_be_revealed_messaged_or_followed_up(
    client_with_records, manager, agent
):
    # given
    assert list(client_search(agent, ClientFilters())) == [client_with_records]

    # when
    services.client_erase(client=client_with_records, by=manager, confirm_name=NAME)

    # then
    client = Client.objects.get(pk=client_with_records.pk)
    assert list(client_search(agent, ClientFilters())) == []
    with pytest.raises(ApplicationError):
        services.client_reveal(client=client, viewer=manager, field="mobile", reason="再看一次")
    assert exclusion(client, "sms", "service", dt.datetime.now(tz=dt.UTC)) == "个人信息已删除"
    with pytest.raises(ApplicationError):
        services.interaction_create(agent=agent, client=client, kind="call", summary="还想联系")
    with pytest.raises(ApplicationError) as again:
        services.client_erase(client=client, by=manager, confirm_name="已删除客户")
    assert again.value.code == "client_erased"


def test_the_access_log_filters_by_staff_kind_client_and_day(
    client_with_records, manager, admin_agent, agent
):
    # given: a reveal (fixture), an export by the manager, an erasure by the administrator
    other = ClientFactory(owner=agent)
    services.client_reveal(client=other, viewer=agent, field="mobile", reason="约看房")
    services.client_export(client=client_with_records, by=manager)
    services.client_erase(client=client_with_records, by=admin_agent, confirm_name=NAME)

    def kinds(**filters):
        return [a.kind for a in personal_data_accesses(admin_agent, AccessFilters(**filters))]

    # then
    assert kinds() == ["erasure", "export", "reveal", "reveal"]
    assert kinds(agent_id=manager.pk) == ["export", "reveal"]
    assert kinds(kind="reveal") == ["reveal", "reveal"]
    assert kinds(client_id=other.pk) == ["reveal"]
    today = timezone.localdate()
    assert len(kinds(since=today, until=today)) == 4
    assert kinds(until=today - dt.timedelta(days=1)) == []
    # a store manager reads their store's staff; an agent reads nothing
    assert [a.kind for a in personal_data_accesses(manager, AccessFilters())] == [
        "export",
        "reveal",
        "reveal",
    ]
    with pytest.raises(PermissionDenied):
        personal_data_accesses(agent, AccessFilters())


def test_the_api_exports_and_erases_and_another_companys_client_is_not_found(
    client_with_records, manager, stranger
):
    # given
    api = as_token(manager)
    url = f"/api/v1/clients/{client_with_records.pk}"

    # when
    exported = api.post(f"{url}/export")
    wrong = api.post(f"{url}/erase", {"confirm_name": "别人"}, content_type="application/json")
    erased = api.post(f"{url}/erase", {"confirm_name": NAME}, content_type="application/json")
    foreign = as_token(stranger).post(f"{url}/export")
    foreign_erase = as_token(stranger).post(
        f"{url}/erase", {"confirm_name": NAME}, content_type="application/json"
    )
    log = api.get("/api/v1/clients/personal-data/accesses?kind=erasure")

    # then
    assert exported.status_code == 200
    assert "attachment" in exported["Content-Disposition"]
    assert json.loads(exported.content)["sections"]["client"]["rows"][0]["name"] == NAME
    assert wrong.status_code == 400 and wrong.json()["code"] == "confirm_name_mismatch"
    assert erased.status_code == 200 and erased.json()["id"] == client_with_records.pk
    assert foreign.status_code == 404 and foreign_erase.status_code == 404
    assert [row["kind"] for row in log.json()["items"]] == ["erasure"]
