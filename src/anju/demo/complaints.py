"""The demo's complaints (投诉处理) in the 光谷店: one closed with the client's satisfaction (5) and a
review, which puts its client on their agent's workbench under 鼓励分享; one resolved, one being
handled within its deadlines, one urgent and never acknowledged (escalated to the store manager 王磊
and the administrator), one past its resolve deadline.
Written through the complaints' services, then the alarm job runs as the worker would."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from anju.clients.models import Client
from anju.complaints.models import Category, Complaint, ComplaintSettings, RootCause
from anju.complaints.services import (
    complaint_alarms_raise,
    complaint_lists_ensure,
    complaint_move,
    complaint_record,
    complaint_review,
)
from anju.demo.clock import DemoClock
from anju.org.models import Agent, Company

STORE = "光谷店"


def wipe_complaints(company: Company) -> None:
    """Complaints hold on to clients, agents, deals and listings; they go before those do."""
    Complaint.objects.filter(company=company).delete()
    for model in (Category, RootCause, ComplaintSettings):
        model.objects.filter(company=company).delete()


def _at(clock: DemoClock, days_ago: int, hour: int) -> dt.datetime:
    return clock.at(days_ago, hour * 3600)


def demo_complaints(company: Company, clock: DemoClock, rng: random.Random) -> dict[str, int]:
    agents = list(Agent.objects.filter(company=company, store__name=STORE, role="agent").order_by("id"))
    manager = Agent.objects.filter(company=company, store__name=STORE, role="manager").first()
    clients = list(
        Client.objects.filter(company=company, store__name=STORE, owner__isnull=False).order_by("id")[:40]
    )
    if not agents or manager is None or len(clients) < 5:
        return {"投诉": 0}
    complaint_lists_ensure(company=company)
    picked = rng.sample(clients, 5)
    handler = agents[0]

    def new(client: Client, days_ago: int, hour: int, severity: str, category: str, text: str) -> Complaint:
        owner = client.owner
        return complaint_record(
            by=handler,
            client=client,
            severity=severity,
            category=category,
            text=text,
            received_at=_at(clock, days_ago, hour),
            about_agent=owner,
        )

    closed = new(
        picked[0], 24, 10, "normal", "带看与预约", "约好上午十点看房，经纪人十一点才到，也没提前打电话。"
    )
    complaint_move(complaint=closed, to="acknowledged", by=handler, note="已电话致歉", at=_at(clock, 24, 11))
    complaint_move(
        complaint=closed,
        to="resolved",
        by=manager,
        resolution="店长当面致歉，重新安排周末带看并由店长陪同。",
        remedy="免费提供一次搬家保洁",
        at=_at(clock, 22, 15),
    )
    complaint_move(
        complaint=closed, to="closed", by=handler, satisfaction=5, note="客户表示满意", at=_at(clock, 21, 10)
    )
    causes = list(RootCause.objects.filter(company=company).order_by("position"))
    complaint_review(
        complaint=closed,
        by=manager,
        root_cause=causes[0],
        corrective_action="带看前一小时短信确认时间",
        corrective_owner=handler,
        corrective_due_on=clock.date(0) + dt.timedelta(days=14),
    )

    resolved = new(picked[1], 9, 14, "normal", "房源信息不实", "房源照片和实际差别很大，白跑一趟。")
    complaint_move(complaint=resolved, to="resolving", by=handler, note="核实房源照片", at=_at(clock, 9, 16))
    complaint_move(
        complaint=resolved,
        to="resolved",
        by=handler,
        resolution="已下架旧照片，重新实勘拍照。",
        remedy="优先推荐同小区其他房源",
        at=_at(clock, 8, 11),
    )

    handling = new(picked[2], 1, 10, "normal", "费用与佣金", "中介费收费标准和当初说的不一样。")
    complaint_move(
        complaint=handling, to="acknowledged", by=handler, note="已回电说明收费标准", at=_at(clock, 1, 11)
    )

    new(picked[3], 3, 9, "urgent", "服务态度", "经纪人电话里态度很差，要求换人跟进。")
    overdue = new(picked[4], 12, 15, "normal", "交易流程与办理", "网签约了两次都没办成，没人给个说法。")
    complaint_move(
        complaint=overdue, to="acknowledged", by=handler, note="已联系交易专员", at=_at(clock, 12, 17)
    )

    complaint_alarms_raise(now=timezone.now())
    return {"投诉": Complaint.objects.filter(company=company).count()}
