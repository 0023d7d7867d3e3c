"""Clients (客户) as database-ready tuples: who they are, how they came, who looks after them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from anju.demo.clock import DemoClock
from anju.demo.listing_rows import FieldAgent
from anju.demo.people import MobileNumbers, person_name
from anju.demo.weighted import Weighted

CLIENT_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "name",
    "gender",
    "mobile",
    "source",
    "owner_id",
    "store_id",
    "last_contact_at",
    "notes",
)

CONSENT_COLUMNS = ("id", "client_id", "channel", "granted", "at", "how", "recorded_by_id")

CLIENT_DAYS = 730  # the agency has been collecting clients for two years
CONTACT_WITHIN_DAYS = 60  # pool clients: someone called them within the last two months
# Private clients are followed up within the company's pool days (15 by default, ``Company``),
# or they would go back to the pool on the first night. A few are overdue, as in any agency:
# the first nightly run returns them, and warns about those due in the next two days.
POOL_RETURN_DAYS = 15
OVERDUE_SHARE = 0.04
OVERDUE_DAYS = 5
# Marketing consent (营销授权): asked at intake, by channel, with how it was given.
CONSENT_SHARE = 0.6
CONSENT_CHANNELS = Weighted(("wechat", "sms", "phone"), (55, 35, 10))
CONSENT_HOWS = {
    "wechat": ("微信回复同意", "门店书面签字"),
    "sms": ("短信回复“同意”", "门店书面签字"),
    "phone": ("电话口头同意（已录音）",),
}
WITHDRAWN_SHARE = 0.05  # a client who later asked for no more messages
PRIVATE_SHARE = 0.7
GENDERS = Weighted(("m", "f", ""), (48, 48, 4))
SOURCES = Weighted(("store_visit", "phone", "online", "referral", "returning"), (30, 15, 35, 12, 8))
NOTES = (
    "首套刚需，预算有限，看重地铁",
    "改善需求，想换四房，孩子明年上小学",
    "外地来汉工作，先租后买",
    "投资客，只看总价低的小户型",
    "老人养老，要求低楼层或有电梯",
    "置换：先卖后买，手上有一套待售",
    "全款客户，决策快",
    "要求学区，对价格不太敏感",
)


@dataclass(frozen=True)
class ClientContext:
    company_id: int
    agents: Sequence[FieldAgent]  # who may own a private client
    first_client_id: int
    mobiles: MobileNumbers
    clock: DemoClock


def generate_clients(rng: random.Random, context: ClientContext, count: int) -> Iterator[tuple]:
    """``count`` client rows in ``CLIENT_COLUMNS`` order."""
    owners = Weighted(context.agents, (a.weight for a in context.agents))
    clock = context.clock
    company_id = context.company_id
    random_ = rng.random
    for n in range(count):
        gender = GENDERS.pick(random_)
        name = person_name(rng, gender)
        source = SOURCES.pick(random_)
        owner = owners.pick(random_) if random_() < PRIVATE_SHARE else None
        created_days = rng.randint(1, CLIENT_DAYS)
        created_at = clock.during_hours(rng, created_days)
        # Agents keep calling their own clients; the pool is where neglected clients end up.
        last_contact_at = None
        if owner:
            within = POOL_RETURN_DAYS - 1
            if random_() < OVERDUE_SHARE:
                contact_days = rng.randint(POOL_RETURN_DAYS, POOL_RETURN_DAYS + OVERDUE_DAYS)
            else:
                contact_days = rng.randint(1, within)
            last_contact_at = max(created_at, clock.during_hours(rng, min(contact_days, created_days)))
        elif random_() < 0.6:
            contact_days = rng.randint(1, min(CONTACT_WITHIN_DAYS, created_days))
            last_contact_at = max(created_at, clock.during_hours(rng, contact_days))
        notes = rng.choice(NOTES) if random_() < 0.2 else ""
        yield (
            context.first_client_id + n,
            created_at,
            last_contact_at or created_at,
            company_id,
            name,
            gender,
            context.mobiles.number(n),
            source,
            owner.id if owner else None,
            owner.store_id if owner else None,
            last_contact_at,
            notes,
        )


def consent_rows(
    rng: random.Random,
    first_id: int,
    client_rows: Sequence[tuple],
    agents: Sequence[FieldAgent],
    clock: DemoClock,
) -> list[tuple]:
    """Consent rows in ``CONSENT_COLUMNS`` order for a share of ``client_rows``, given at intake.

    Recorded by the client's agent (a pool client's by whoever took them in); a few clients later
    withdrew one channel, which is a second, newer row.
    """
    rows: list[tuple] = []
    random_ = rng.random
    for client in client_rows:
        if random_() >= CONSENT_SHARE:
            continue
        client_id, created_at, owner_id = client[_ID], client[_CREATED], client[_OWNER]
        by = owner_id or rng.choice(agents).id
        channels = {CONSENT_CHANNELS.pick(random_) for _ in range(rng.randint(1, 2))}
        for channel in sorted(channels):
            rows.append(
                (
                    first_id + len(rows),
                    client_id,
                    channel,
                    True,
                    created_at,
                    rng.choice(CONSENT_HOWS[channel]),
                    by,
                )
            )
            if random_() < WITHDRAWN_SHARE:
                days_after = rng.randint(1, 60)
                withdrawn = created_at + dt.timedelta(days=days_after)
                if withdrawn < clock.at(1, 0):
                    rows.append(
                        (first_id + len(rows), client_id, channel, False, withdrawn, "电话要求不再发送", by)
                    )
    return rows


_ID, _CREATED, _OWNER = (CLIENT_COLUMNS.index(c) for c in ("id", "created_at", "owner_id"))
