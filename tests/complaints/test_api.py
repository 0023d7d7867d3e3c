"""/api/v1/complaints: record with deadlines in ISO 8601 with offset, move the status, list overdue."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from anju.complaints.models import Complaint
from anju.org.services import token_create
from anju.outreach.services import partner_save
from tests.complaints.conftest import beijing, record
from tests.factories import AgentFactory, ClientFactory


def bearer(agent) -> HttpClient:
    _token, raw = token_create(user=agent.user, name="测试")
    return HttpClient(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def api(agent) -> HttpClient:
    return bearer(agent)


def test_recording_answers_201_with_the_deadlines_and_their_offset(api, customer, time_machine):
    time_machine.move_to(beijing(2026, 11, 27, 18, 30), tick=False)
    body = {
        "client_id": customer.pk,
        "severity": "urgent",
        "category": "服务态度",
        "received_at": "2026-11-27T16:00:00+08:00",
        "text": "带看迟到",
    }

    response = api.post("/api/v1/complaints", body, content_type="application/json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "received"
    assert data["acknowledge_due_at"] == "2026-11-27T18:00:00+08:00"
    assert data["resolve_due_at"] == "2026-12-01T16:00:00+08:00"
    assert "2026年12月1日 16:00" in data["client_notice"]


def test_an_unknown_category_is_a_400_naming_the_choices(api, customer):
    body = {"client_id": customer.pk, "severity": "normal", "category": "天气", "text": "太冷"}

    response = api.post("/api/v1/complaints", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "category_unknown"
    assert "服务态度" in response.json()["details"]["choices"]


def test_another_companys_client_is_404(api, stranger):
    theirs = ClientFactory(owner=stranger)
    body = {"client_id": theirs.pk, "severity": "normal", "category": "服务态度", "text": "太慢"}

    response = api.post("/api/v1/complaints", body, content_type="application/json")

    assert response.status_code == 404


def test_status_moves_and_an_illegal_one_is_refused(api, agent, customer):
    complaint = record(agent, customer)
    url = f"/api/v1/complaints/{complaint.pk}/status"

    refused = api.post(url, {"status": "closed", "satisfaction": 5}, content_type="application/json")
    moved = api.post(url, {"status": "acknowledged", "note": "已致电"}, content_type="application/json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "status_move_illegal"
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "acknowledged"


def test_overdue_lists_only_the_open_ones_past_a_deadline(api, agent, customer, time_machine):
    time_machine.move_to(beijing(2026, 12, 2, 9), tick=False)
    late = record(agent, customer, severity="urgent", received_at=beijing(2026, 11, 30, 9))
    on_time = record(agent, customer, received_at=beijing(2026, 12, 2, 9))

    overdue = api.get("/api/v1/complaints?overdue=true").json()
    everything = api.get("/api/v1/complaints").json()

    assert [c["id"] for c in overdue["items"]] == [late.pk]
    assert overdue["items"][0]["overdue"] is True
    assert {c["id"] for c in everything["items"]} == {late.pk, on_time.pk}


def test_a_colleague_cannot_read_an_agents_complaint_but_the_manager_can(agent, colleague, manager, customer):
    complaint = record(agent, customer)

    assert bearer(colleague).get(f"/api/v1/complaints/{complaint.pk}").status_code == 403
    assert bearer(manager).get(f"/api/v1/complaints/{complaint.pk}").status_code == 200


def test_a_complaint_about_a_partner_names_it_and_another_companys_partner_is_404(
    api, agent, manager, customer, stranger, web
):
    # given a partner of the company's, and one of another company's
    movers = partner_save(by=manager, name="好邻居搬家", kind="moving", phone="027-88880001")
    their_manager = AgentFactory(company=stranger.company, store=stranger.store, role="manager")
    theirs = partner_save(by=their_manager, name="别家搬家", kind="moving", phone="027-88880009")
    body = {"client_id": customer.pk, "severity": "normal", "category": "服务态度", "text": "搬家摔坏了柜子"}
    # when the complaint is recorded about the partner
    response = api.post(
        "/api/v1/complaints", {**body, "partner_id": movers.pk}, content_type="application/json"
    )
    # then it is kept with the partner, shown on its page with a link to the partner
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.partner == movers
    page = web.get(f"/care/complaints/{complaint.pk}/").content.decode()
    assert "好邻居搬家" in page and f'href="/care/partners/{movers.pk}/"' in page
    # and another company's partner is not found, and nothing is recorded
    other = api.post("/api/v1/complaints", {**body, "partner_id": theirs.pk}, content_type="application/json")
    assert other.status_code == 404
    assert Complaint.objects.count() == 1
