"""Greeting texts: the company's template for the occasion (or the default), filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anju.clients.models import Client
from anju.messaging.gate import BEIJING, exclusions, messaging_settings, quiet_hours_end
from anju.messaging.models import Message, MessageKind, MessageStatus, MessagingSettings
from anju.messaging.services import PREFERRED
from anju.org.models import Agent
from anju.outreach.models import GreetingTemplate, OccasionKind
from anju.outreach.occasions import Occasion, client_occasions
from anju.outreach.selectors import outreach_settings

# What a company without a template of its own sends.
DEFAULT_GREETINGS: Mapping[str, str | Promise] = {
    OccasionKind.BIRTHDAY: _(
        "{name}您好！今天是您的{occasion}，祝您生日快乐，身体健康，万事如意！——{signature}"
    ),
    OccasionKind.FESTIVAL: _("{name}您好！{occasion}将至，祝您和家人节日快乐，阖家幸福！——{signature}"),
    OccasionKind.DEAL_ANNIVERSARY: _(
        "{name}您好！今天是您的{occasion}纪念日，感谢您一直以来的信任，祝您住得舒心！——{signature}"
    ),
    OccasionKind.NEW_YEAR: _("{name}您好！新年快乐！祝您在新的一年里平安顺遂，心想事成！——{signature}"),
    OccasionKind.NATIONAL_DAY: _("{name}您好！国庆佳节，祝您假期愉快，出行平安！——{signature}"),
}

PLACEHOLDERS = ("name", "occasion", "signature")


def signature(agent: Agent | None) -> str:
    """The agent's signature under a greeting: name, store and mobile as far as known."""
    if agent is None:
        return ""
    parts = [agent.store.name if agent.store else "", agent.name, agent.mobile]
    return " ".join(part for part in parts if part)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def templates_of(company_id: int) -> dict[str, str]:
    """Every occasion's template for the company: its own where it has one, else the default."""
    own = dict(GreetingTemplate.objects.filter(company_id=company_id).values_list("kind", "body"))
    return {kind: own.get(kind, str(default)) for kind, default in DEFAULT_GREETINGS.items()}


def greeting_render(template: str, *, name: str, occasion: str, sign: str) -> str:
    """The template filled in; an unknown placeholder is left empty rather than breaking the job."""
    try:
        return template.format_map(_Blank(name=name, occasion=occasion, signature=sign))
    except (ValueError, IndexError):
        return template


def batched(items: Iterable[Occasion], size: int) -> Iterator[list[Occasion]]:
    """``items`` in lists of ``size`` (the last one shorter), read lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# How far ahead the nightly job drafts greetings.
DAYS_AHEAD = 7
CHUNK = 2000


@dataclass
class DraftReport:
    occasions: int = 0
    drafted: int = 0
    no_channel: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"occasions": self.occasions, "drafted": self.drafted, "no_channel": self.no_channel}


def send_time(occasion_day: dt.date, settings: MessagingSettings, now: dt.datetime) -> dt.datetime:
    """A greeting leaves on its day when the quiet hours end (09:00 by default); one whose day is
    already here leaves now, or when the quiet hours around now end."""
    on_the_day = dt.datetime.combine(occasion_day, settings.quiet_until, tzinfo=BEIJING)
    if on_the_day > now:
        return on_the_day
    return quiet_hours_end(settings, now) or now


def open_channels(clients: list[Client], kind: str, now: dt.datetime) -> dict[int, str]:
    """Each client's first channel (in the outbox's order of preference) the gate lets ``kind``
    through: consented and not opted out (greetings and service messages are not capped)."""
    found: dict[int, str] = {}
    remaining = clients
    for channel in PREFERRED:
        if not remaining:
            break
        refused = exclusions(remaining, channel, kind, now)
        found.update({c.pk: channel for c in remaining if c.pk not in refused})
        remaining = [c for c in remaining if c.pk in refused]
    return found


def greetings_draft(
    *, company_id: int, today: dt.date, now: dt.datetime, days: int = DAYS_AHEAD
) -> DraftReport:
    """Greetings for the company's clients' occasions from ``today`` for ``days`` days, drafted for
    the agent's approval, or queued to go on the day when the company sends them automatically.

    Set-based: occasions by the window's keys, the gate and the existing keys once per chunk, the
    messages written in bulk. Idempotent: the key is client + occasion + date, and the outbox's
    unique key makes a second run, or a second worker at the same moment, write nothing more.
    """
    auto = outreach_settings(company_id).greetings_auto_send
    sending = messaging_settings(company_id)
    templates = templates_of(company_id)
    clients = Client.objects.filter(
        company_id=company_id, owner__isnull=False, merged_into__isnull=True, erased_at__isnull=True
    )
    end = today + dt.timedelta(days=days - 1)
    report = DraftReport()
    for chunk in batched(client_occasions(clients, today, end), CHUNK):
        report.occasions += len(chunk)
        keys = {o.key for o in chunk}
        spent = set(
            Message.objects.filter(company_id=company_id, idempotency_key__in=keys).values_list(
                "idempotency_key", flat=True
            )
        )
        fresh = [o for o in chunk if o.key not in spent]
        if not fresh:
            continue
        people = {
            c.pk: c
            for c in Client.objects.filter(pk__in={o.client_id for o in fresh})
            .select_related("owner__store")
            .only("id", "company_id", "name", "owner__name", "owner__mobile", "owner__store__name")
        }
        channel_of = open_channels(list(people.values()), MessageKind.GREETING, now)
        rows = []
        for occasion in fresh:
            client = people[occasion.client_id]
            channel = channel_of.get(client.pk)
            if channel is None:
                report.no_channel += 1
                continue
            at = send_time(occasion.date, sending, now)
            text = greeting_render(
                templates[occasion.kind],
                name=client.name,
                occasion=occasion.name,
                sign=signature(client.owner),
            )
            rows.append(
                Message(
                    company_id=company_id,
                    client=client,
                    channel=channel,
                    kind=MessageKind.GREETING,
                    template=f"greeting:{occasion.kind}",
                    subject=occasion.name,
                    text=text,
                    idempotency_key=occasion.key,
                    status=MessageStatus.QUEUED if auto else MessageStatus.AWAITING_APPROVAL,
                    send_after=at,
                    next_attempt_at=at,
                    created_at=now,
                    updated_at=now,
                )
            )
        Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        report.drafted += len(rows)
    return report
