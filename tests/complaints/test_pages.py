"""The complaint pages: recording by the caller's mobile, the deadlines and the text for the client,
moves, the review; the workbench with an escalated complaint on top; the monthly review."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.complaints.models import Complaint
from anju.complaints.selectors import root_causes_of
from anju.complaints.services import complaint_alarms_raise, complaint_move, complaint_review
from tests.complaints.conftest import beijing, record
from tests.conftest import login


def test_recording_by_the_callers_mobile_shows_the_deadlines_to_tell_them(web, customer, time_machine):
    time_machine.move_to(beijing(2026, 11, 27, 16), tick=False)
    form = web.get("/care/complaints/new/")
    category = form.context["form"].fields["category"].queryset.get(name="带看与预约")

    response = web.post(
        "/care/complaints/new/",
        {
            "mobile": customer.mobile,
            "severity": "normal",
            "category": category.pk,
            "channel": "phone",
            "text": "迟到",
        },
        follow=True,
    )

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.client == customer
    page = response.content.decode()
    assert "2026年11月30日 16:00" in page  # acknowledge, after the weekend
    assert "2026年12月4日 16:00" in page  # resolve
    assert "投诉人刘女士您好" in page


def test_an_unknown_mobile_is_refused_on_the_form(web, customer):
    form = web.get("/care/complaints/new/")
    category = form.context["form"].fields["category"].queryset.first()

    response = web.post(
        "/care/complaints/new/",
        {
            "mobile": "13900000000",
            "severity": "normal",
            "category": category.pk,
            "channel": "phone",
            "text": "迟到",
        },
    )

    assert "没有找到该手机号的客户" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_year_without_holidays_says_the_deadline_is_estimated(agent, customer, time_machine):
    time_machine.move_to(beijing(2031, 3, 3, 10), tick=False)
    complaint = record(agent, customer)

    page = login(agent).get(f"/care/complaints/{complaint.pk}/").content.decode()

    assert "2031 年的节假日安排尚未公布" in page


def test_the_manager_sees_the_escalated_complaint_first_and_resolves_it(
    agent, manager, customer, time_machine
):
    # given: an urgent complaint unacknowledged past its deadline, escalated to the store manager
    time_machine.move_to(beijing(2026, 11, 30, 9), tick=False)
    complaint = record(agent, customer, severity="urgent")
    time_machine.move_to(beijing(2026, 11, 30, 11, 5), tick=False)
    complaint_alarms_raise()
    web = login(manager)

    # when
    page = web.get("/").content.decode()

    # then: the complaints section stands before every other section, marked escalated
    assert page.index('data-section="complaints"') < page.index('data-testid="figures"')
    assert "已升级" in page
    assert f"/care/complaints/{complaint.pk}/" in page
    assert 'href="/care/complaints/"' in page  # the figure card leads to the complaint list

    # and the manager resolves it from there; it leaves the workbench
    web.post(
        f"/care/complaints/{complaint.pk}/status/",
        {"status": "resolved", "resolution": "店长致歉并重新安排", "remedy": "免一次保洁费"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert 'data-section="complaints"' not in web.get("/").content.decode()


def test_the_monthly_review_counts_by_category_cause_and_compliance(
    web, agent, manager, customer, time_machine
):
    time_machine.move_to(beijing(2026, 11, 30, 9), tick=False)
    cause = None
    for received, resolve_at in (
        (beijing(2026, 11, 2, 9), beijing(2026, 11, 2, 10)),
        (beijing(2026, 11, 3, 9), beijing(2026, 11, 20, 9)),
    ):
        c = record(agent, customer, received_at=received)
        c = complaint_move(complaint=c, to="resolved", by=agent, resolution="已处理", at=resolve_at)
        cause = cause or root_causes_of(agent.company_id).first()
        complaint_review(
            complaint=c,
            by=manager,
            root_cause=cause,
            corrective_action="",
            corrective_owner=None,
            corrective_due_on=None,
        )
    record(agent, customer, received_at=beijing(2026, 10, 30, 9))  # another month

    with CaptureQueriesContext(connection) as queries:
        response = web.get("/care/complaints/review/?month=2026-11")

    review = response.context["review"]
    assert review.total == 2
    [row] = review.by_category
    assert (row.label, row.total, row.in_time, row.compliance) == ("服务态度", 2, 1, 50)
    assert review.by_cause[0].label == cause.name
    assert 'data-chart="category"' in response.content.decode()
    assert len(queries) <= 12


def test_the_list_reads_a_fixed_number_of_queries(web, agent, customer):
    record(agent, customer)
    with CaptureQueriesContext(connection) as one:
        web.get("/care/complaints/")
    for _ in range(5):
        record(agent, customer)
    with CaptureQueriesContext(connection) as six:
        response = web.get("/care/complaints/")

    assert len(response.context["complaints"]) == 6
    assert len(one) == len(six)


def test_another_companys_complaint_is_404(agent, customer, stranger):
    complaint = record(agent, customer)

    assert login(stranger).get(f"/care/complaints/{complaint.pk}/").status_code == 404
    assert login(agent).get(f"/care/complaints/{complaint.pk}/").status_code == 200


def test_the_administrator_sets_the_sla_and_new_complaints_follow_it(admin_agent, agent, customer):
    # given: an agent may not open the page
    assert login(agent).get("/settings/complaints/").status_code == 403
    web = login(admin_agent)
    values = {
        "urgent_acknowledge_hours": 1,
        "urgent_resolve_hours": 9,
        "normal_acknowledge_hours": 4,
        "normal_resolve_hours": 27,
        "alert_left_percent": 20,
        "admin_after_hours": 2,
    }

    # when
    refused = web.post("/settings/complaints/", {**values, "normal_acknowledge_hours": 30})
    saved = web.post("/settings/complaints/", values)

    # then
    assert "回应时限不能长于解决时限" in refused.content.decode()
    assert saved.status_code == 302
    complaint = record(agent, customer, received_at=beijing(2026, 12, 3, 10))
    assert complaint.acknowledge_due_at == beijing(2026, 12, 3, 14)
    assert complaint.resolve_due_at == beijing(2026, 12, 8, 10)
