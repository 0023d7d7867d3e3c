"""Clients (客户) as database-ready tuples: who they are, how they came, who looks after them."""

from __future__ import annotations

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

CLIENT_DAYS = 730  # the agency has been collecting clients for two years
CONTACT_WITHIN_DAYS = 60
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
        contacted = random_() < (0.9 if owner else 0.6)
        last_contact_at = None
        if contacted:
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
