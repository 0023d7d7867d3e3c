"""The demo's outreach: clients of the first agents with solar and lunar birthdays in the coming
days (their greetings drafted by the nightly job, waiting for approval), a festival greeting
waiting too, partners with clients' ratings (one poorly rated), and a market report sent as a
campaign. Written through the outreach services, as the job and the people would."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from lunar_python import Solar

from anju.clients.models import Client, Consent
from anju.demo.clock import DemoClock
from anju.messaging.models import MessageKind
from anju.messaging.services import message_queue
from anju.org.models import Agent, Company, Role
from anju.outreach.calendar import festivals_between
from anju.outreach.campaigns import Target, campaign_send
from anju.outreach.greetings import greeting_render, greetings_draft, open_channels, signature, templates_of
from anju.outreach.models import (
    Campaign,
    ContentItem,
    GreetingTemplate,
    OutreachSettings,
    Partner,
    PartnerRating,
    Recommendation,
)
from anju.outreach.occasions import Occasion
from anju.outreach.services import partner_rate, partner_save

BIRTHDAYS = 6
PARTNERS = (
    ("安心搬家", "moving", "027-87650001", "", "300–1200元/次", (5, 5, 4, 5)),
    ("洁净家政保洁", "cleaning", "027-87650002", "洪山区、武昌区", "35元/小时起", (4, 5, 4)),
    ("匠心装修", "renovation", "027-87650003", "", "800–1500元/㎡", (5, 4, 4, 5, 4)),
    ("速修家电", "appliances", "027-87650004", "江汉区、江岸区", "上门费30元", (4, 3)),
    ("诚信验房", "inspection", "027-87650005", "", "5元/㎡", (5, 5)),
    ("马虎装饰", "renovation", "027-87650006", "", "600元/㎡起", (2, 1, 3, 2)),
)


def _consenting(company: Company, limit: int) -> list[Client]:
    """Private clients of the demo's first agents who consented to SMS or WeChat."""
    ids = (
        Consent.objects.filter(client__company=company, client__owner__isnull=False, granted=True)
        .filter(channel__in=("sms", "wechat"))
        .order_by("client__owner_id", "client_id")
        .values_list("client_id", flat=True)
    )
    seen: list[int] = []
    for client_id in ids[: limit * 4]:
        if client_id not in seen:
            seen.append(client_id)
    return list(Client.objects.filter(pk__in=seen[:limit]).select_related("owner__store").order_by("pk"))


def _birthdays(clients: list[Client], clock: DemoClock, rng: random.Random) -> None:
    """Every other client a lunar birthday (as its date in the coming days reads in the lunar
    calendar). Written as the bulk demo rows are, without history."""
    for number, client in enumerate(clients):
        day = clock.today + dt.timedelta(days=1 + number % 5)
        if number % 2:
            lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
            fields = {
                "birthday_calendar": "lunar",
                "birthday": None,
                "lunar_birth_month": abs(lunar.getMonth()),
                "lunar_birth_day": lunar.getDay(),
                "lunar_birth_leap": lunar.getMonth() < 0,
                "birth_year": day.year - rng.randint(25, 60),
            }
        else:
            born = day.replace(year=day.year - rng.randint(25, 60))
            fields = {"birthday_calendar": "solar", "birthday": born, "birth_year": born.year}
        Client.objects.filter(pk=client.pk).update(**fields)
        for name, value in fields.items():
            setattr(client, name, value)


def _festival_greeting(company: Company, clients: list[Client], clock: DemoClock, now: dt.datetime) -> int:
    """The next festival's greeting to a couple of clients, drafted ahead for approval."""
    coming = festivals_between(clock.today + dt.timedelta(days=1), clock.today + dt.timedelta(days=400))[0]
    templates = templates_of(company.pk)
    for client in clients:
        occasion = Occasion(client.pk, coming.kind, coming.name, coming.date)
        channel = open_channels([client], MessageKind.GREETING, now).get(client.pk)
        if channel is None:
            continue
        message_queue(
            client=client,
            channel=channel,
            kind=MessageKind.GREETING,
            template=f"greeting:{coming.kind}",
            subject=coming.name,
            text=greeting_render(
                templates[coming.kind], name=client.name, occasion=coming.name, sign=signature(client.owner)
            ),
            key=occasion.key,
            by=client.owner,
            approval=True,
            at=now,
        )
    return len(clients)


def _partners(company: Company, manager: Agent, rng: random.Random) -> int:
    raters = list(Client.objects.filter(company=company, owner__isnull=False).order_by("pk")[:40])
    for name, kind, phone, area, price, scores in PARTNERS:
        partner = partner_save(
            by=manager, name=name, kind=kind, phone=phone, service_area=area, price_range=price
        )
        for score, client in zip(scores, rng.sample(raters, len(scores)), strict=True):
            partner_rate(partner=partner, client=client, score=score, by=manager)
    return len(PARTNERS)


def demo_outreach(company: Company, clock: DemoClock, rng: random.Random) -> dict[str, int]:
    manager = Agent.objects.filter(company=company, role=Role.MANAGER).order_by("pk").first()
    if manager is None:
        return {}
    clients = _consenting(company, BIRTHDAYS + 2)
    _birthdays(clients[:BIRTHDAYS], clock, rng)
    now = clock.at(0, 10 * 3600)
    drafted = greetings_draft(company_id=company.pk, today=clock.today, now=now).drafted
    festival = _festival_greeting(company, clients[BIRTHDAYS:], clock, now)
    partners = _partners(company, manager, rng)
    campaign, _preview = campaign_send(
        by=manager,
        kind="market_report",
        title="本月光谷二手房行情",
        body="本月光谷板块二手房成交量环比上涨约一成，挂牌均价基本持平，改善型三房最受欢迎。",
        target=Target(need_kind="buy", budget_min=Decimal("3000000"), budget_max=Decimal("4000000")),
        channel="sms",
        at=now,
    )
    return {"问候": drafted + festival, "合作商": partners, "推送": campaign.sent_count}


def wipe_outreach(company: Company) -> None:
    """What ``demo_outreach`` made, before the clients and the company go (few rows: the ORM)."""
    Recommendation.objects.filter(partner__company=company).delete()
    PartnerRating.objects.filter(partner__company=company).delete()
    Campaign.objects.filter(company=company).delete()
    for model in (Partner, ContentItem, GreetingTemplate, OutreachSettings):
        model.objects.filter(company=company).delete()
