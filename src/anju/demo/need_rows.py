"""Buy and rent needs (需求) and their follow-ups (跟进), as database-ready tuples.

Each need is drawn around an *anchor*: a community near the store of the agent who looks after
the client (sometimes anywhere in the city), and a flat of the size such a client looks for.
The budget is what that flat costs there, widened the way clients state budgets, so that most
needs have listings that fit them; the other conditions are drawn so that the anchor still
meets them (no lift required in a walk-up, no build year after the anchor's).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from anju.demo.clock import DemoClock
from anju.demo.listing_rows import RENT_YIELD_PER_MONTH, CommunityRef, FieldAgent
from anju.demo.weighted import Weighted

NEED_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "company_id",
    "client_id",
    "agent_id",
    "kind",
    "status",
    "budget_min",
    "budget_max",
    "rooms_min",
    "rooms_max",
    "area_min",
    "area_max",
    "school_required",
    "school_level",
    "purpose",
    "first_home",
    "payment",
    "floor_min",
    "floor_max",
    "orientations",
    "elevator_required",
    "build_year_min",
    "must_haves",
    "nice_to_haves",
    "move_in_on",
    "lease_months",
    "down_payment_cash",
    "monthly_income",
    "monthly_debts",
)
NEED_PLACE_COLUMNS = {
    "districts": ("id", "need_id", "district_id"),
    "business_areas": ("id", "need_id", "businessarea_id"),
    "communities": ("id", "need_id", "community_id"),
}
INTERACTION_COLUMNS = ("id", "client_id", "agent_id", "need_id", "kind", "summary", "happened_at")

UTC = dt.UTC
DAY = 86_400
NEED_DAYS = 240  # needs are entered over the last eight months
RENT_SHARE = 0.2
ANYWHERE_SHARE = 0.05
STATUSES = Weighted(("active", "paused", "fulfilled"), (93, 4, 3))
DISTRICT_COUNTS = Weighted((1, 2, 3), (50, 35, 15))
ORIENTATION_SETS = Weighted(
    ('["SN"]', '["SN", "S"]', '["SN", "S", "SE", "SW"]', '["SN", "S", "SE"]'), (25, 35, 25, 15)
)
FLOOR_RANGES = Weighted(((2, None), (None, 6), (3, 20), (6, None), (2, 12)), (35, 20, 20, 15, 10))
PURPOSES = Weighted(("own", "invest"), (82, 18))
FIRST_HOME = Weighted((True, False, None), (55, 35, 10))
PAYMENTS = Weighted(("loan", "full", ""), (74, 20, 6))
LEASE_MONTHS = Weighted((12, 6, 24, None), (60, 12, 13, 15))
MUST_HAVES = (
    "不要一楼",
    "必须带车位",
    "满五唯一",
    "步行十分钟内有地铁站",
    "小区人车分流",
    "不要临街",
    "要有电梯",
    "可以养宠物",
)
NICE_TO_HAVES = ("南北通透", "带装修可直接入住", "楼下有菜场", "近公园", "小区绿化好", "物业好")
INTERACTIONS = Weighted(("call", "wechat", "visit", "showing", "note"), (40, 30, 12, 12, 6))
SUMMARIES = {
    "call": (
        "电话沟通，确认预算和意向区域，近期可看房",
        "回访：客户仍在看，周末有空",
        "电话介绍了两套新房源，客户想先看照片",
        "客户说预算可以再商量，等家人意见",
    ),
    "wechat": (
        "微信发了三套房源链接，客户回复第二套不错",
        "微信沟通贷款首付比例，发了计算结果",
        "客户微信问学区划片，已解答",
        "发了板块最近的成交价，客户觉得偏贵",
    ),
    "visit": ("客户到店面谈，细化了户型和楼层要求", "到店签了看房确认书，约周六看房"),
    "showing": ("带看两套，客户对朝向满意，嫌楼层偏低", "带看一套，客户喜欢，想再带家人看一次"),
    "note": ("客户出差两周，回来再联系", "客户在对比别家中介的房源"),
}


class ClientFacts:
    """What the need phase needs to know of the generated clients, index by index.

    Compact arrays: a million clients cost 24 MB here instead of a million tuples of objects.
    """

    def __init__(self, first_client_id: int) -> None:
        self.first_client_id = first_client_id
        self.owner_ids = array("q")  # 0 = in the public pool
        self.created = array("d")  # UTC timestamps
        self.last_contact = array("d")  # 0.0 = never contacted

    def __len__(self) -> int:
        return len(self.owner_ids)

    def add(self, owner_id: int | None, created_at: dt.datetime, last_contact_at: dt.datetime | None) -> None:
        self.owner_ids.append(owner_id or 0)
        self.created.append(created_at.timestamp())
        self.last_contact.append(last_contact_at.timestamp() if last_contact_at else 0.0)


@dataclass(frozen=True)
class NeedContext:
    company_id: int
    communities: Sequence[CommunityRef]
    business_area_ids: Sequence[int]  # per community, the id of its 板块
    store_agents: Sequence[Sequence[FieldAgent]]  # per store, the agents who own clients
    clients: ClientFacts
    first_need_id: int
    first_place_ids: dict[str, int]  # per place table in ``NEED_PLACE_COLUMNS``, its first id
    first_interaction_id: int
    clock: DemoClock


@dataclass
class NeedBatch:
    needs: list[tuple] = field(default_factory=list)
    places: dict[str, list[tuple]] = field(default_factory=lambda: {name: [] for name in NEED_PLACE_COLUMNS})
    interactions: list[tuple] = field(default_factory=list)


def client_stride(clients: int) -> int:
    """The step of a scrambled walk over every client: need n belongs to client ``n × stride mod clients``.

    A stride sharing no factor with the number of clients visits each once per lap, so with
    ``needs <= clients`` no client has two needs and with more needs every client gets a second.
    """
    return next(p for p in (7919, 104729, 15485863) if clients % p)


def generate_needs(
    rng: random.Random, context: NeedContext, count: int, batch_size: int
) -> Iterator[NeedBatch]:
    """``count`` needs, in batches with their place rows and follow-ups."""
    communities = context.communities
    clients = context.clients
    client_count = len(clients)
    agent_by_id = {a.id: (store, a) for store, agents in enumerate(context.store_agents) for a in agents}
    every_agent = [a for agents in context.store_agents for a in agents]
    pick_any_agent = Weighted(every_agent, (a.weight for a in every_agent))
    near_store = [
        Weighted(indexes, (communities[i].plan.capacity for i in indexes))
        for indexes in (
            [i for i, c in enumerate(communities) if c.nearest_store == store]
            for store in range(len(context.store_agents))
        )
    ]
    pick_any_community = Weighted(range(len(communities)), (c.plan.capacity for c in communities))
    clock = context.clock
    company_id = context.company_id
    random_ = rng.random
    choice = rng.choice
    stride = client_stride(client_count)
    next_place = dict(context.first_place_ids)
    next_interaction = context.first_interaction_id
    batch = NeedBatch()
    for n in range(count):
        index = (n * stride + client_count // 3) % client_count
        client_id = clients.first_client_id + index
        owner_id = clients.owner_ids[index]
        if owner_id:
            store, agent = agent_by_id[owner_id]
        else:
            # A pool client's need stays with whoever entered it.
            agent = pick_any_agent.pick(random_)
            store = agent_by_id[agent.id][0]
        anchor_index = (near_store[store] if random_() < 0.7 else pick_any_community).pick(random_)
        anchor = communities[anchor_index]
        plan = anchor.plan
        is_rent = random_() < RENT_SHARE
        status = STATUSES.pick(random_)

        # The flat the client has in mind, and what it costs in the anchor community.
        target_area = min(220.0, max(35.0, rng.lognormvariate(math.log(72.0 if is_rent else 95.0), 0.28)))
        reference = float(plan.reference_price)
        if is_rent:
            typical = target_area * reference * sum(RENT_YIELD_PER_MONTH) / 2
            budget_max = _round_to(typical * rng.uniform(1.0, 1.3), 100)
            budget_min = _round_to(typical * rng.uniform(0.6, 0.85), 100) if random_() < 0.6 else None
        else:
            typical = target_area * reference
            budget_max = _round_to(typical * rng.uniform(1.0, 1.3), 10_000)
            budget_min = _round_to(typical * rng.uniform(0.65, 0.9), 10_000) if random_() < 0.7 else None
        rooms = _rooms_for(target_area)
        rooms_min = max(1, rooms - (1 if random_() < 0.25 else 0))
        rooms_max = (rooms_min + (1 if random_() < 0.5 else 0)) if random_() < 0.6 else None
        area_min = _round_to(target_area * rng.uniform(0.75, 0.9), 5) if random_() < 0.8 else None
        area_max = _round_to(target_area * rng.uniform(1.15, 1.4), 5) if random_() < 0.55 else None
        if area_min is not None and area_max is not None and area_max < area_min:
            area_max = area_min

        elevator_required = plan.has_elevator and random_() < 0.25
        build_year_min = (
            plan.build_year - plan.build_year % 5 - 5 * rng.randint(0, 2) if random_() < 0.15 else None
        )
        orientations = ORIENTATION_SETS.pick(random_) if random_() < 0.25 else "[]"
        floor_min, floor_max = FLOOR_RANGES.pick(random_) if random_() < 0.15 else (None, None)
        if floor_max is not None and floor_max > plan.total_floors:
            floor_max = None
        school_required = not is_rent and random_() < 0.04
        must_haves = choice(MUST_HAVES) if random_() < 0.08 else ""
        nice_to_haves = "、".join(rng.sample(NICE_TO_HAVES, 2)) if random_() < 0.15 else ""

        client_created = clients.created[index]
        last_contact = clients.last_contact[index]
        days = rng.randint(1, NEED_DAYS)
        created = max(client_created, clock.during_hours(rng, days).timestamp())
        if last_contact and created > last_contact:
            # Entered during a contact the client record already shows.
            created = max(client_created, last_contact - rng.uniform(0, 3 * DAY))
        created_at = _utc(created)

        need_id = context.first_need_id + n
        # Where: 1-3 districts near the store, sometimes a 板块 or a 小区, a few anywhere.
        if random_() >= ANYWHERE_SHARE:
            districts = {anchor.district_id}
            for _ in range(DISTRICT_COUNTS.pick(random_) - 1):
                districts.add(communities[near_store[store].pick(random_)].district_id)
            for district_id in sorted(districts):
                batch.places["districts"].append((next_place["districts"], need_id, district_id))
                next_place["districts"] += 1
            place = random_()
            if place < 0.15:
                area_id = context.business_area_ids[anchor_index]
                batch.places["business_areas"].append((next_place["business_areas"], need_id, area_id))
                next_place["business_areas"] += 1
            elif place < 0.22:
                batch.places["communities"].append((next_place["communities"], need_id, anchor.id))
                next_place["communities"] += 1

        updated = created
        if last_contact >= created:
            # A few follow-ups between the need's entry and the client's last contact.
            for _ in range(choice((0, 1, 1, 2, 3))):
                kind = INTERACTIONS.pick(random_)
                happened = rng.uniform(created, last_contact)
                batch.interactions.append(
                    (
                        next_interaction,
                        client_id,
                        agent.id,
                        need_id,
                        kind,
                        choice(SUMMARIES[kind]),
                        _utc(happened),
                    )
                )
                next_interaction += 1
                updated = max(updated, happened)

        batch.needs.append(
            (
                need_id,
                created_at,
                _utc(updated) if updated != created else created_at,
                company_id,
                client_id,
                agent.id,
                "rent" if is_rent else "buy",
                status,
                budget_min,
                budget_max,
                rooms_min,
                rooms_max,
                area_min,
                area_max,
                school_required,
                ("primary" if random_() < 0.7 else "middle") if school_required else "",
                "" if is_rent else PURPOSES.pick(random_),
                None if is_rent else FIRST_HOME.pick(random_),
                "" if is_rent else PAYMENTS.pick(random_),
                floor_min,
                floor_max,
                orientations,
                elevator_required,
                build_year_min,
                must_haves,
                nice_to_haves,
                _move_in(rng, created) if is_rent and random_() < 0.6 else None,
                LEASE_MONTHS.pick(random_) if is_rent else None,
                *(_means(need_id, budget_max) if not is_rent else (None, None, None)),
            )
        )
        if len(batch.needs) >= batch_size:
            yield batch
            batch = NeedBatch()
    if batch.needs:
        yield batch


def _means(need_id: int, budget_max: Decimal) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Two buyers in five told the agent their cash and income (derived from the id: no draw, so the
    other needs' fields stay as they were): cash for 25–45% of the ceiling, a monthly income of
    0.4–0.8% of it, and for one in three some other monthly repayment."""
    if need_id % 5 >= 2:
        return None, None, None
    share = (need_id * 2654435761 % 1000) / 1000
    cash = _round_to(float(budget_max) * (0.25 + 0.2 * share), 10_000)
    income = _round_to(float(budget_max) * (0.004 + 0.004 * (1 - share)), 500)
    debts = _round_to(float(budget_max) * 0.0008, 100) if need_id % 3 == 0 else Decimal(0)
    return cash, income, debts


def _round_to(value: float, step: int) -> Decimal:
    return Decimal(max(step, round(value / step) * step))


def _rooms_for(area: float) -> int:
    if area < 50:
        return 1
    if area < 80:
        return 2
    if area < 125:
        return 3
    return 4


def _utc(timestamp: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(timestamp), UTC)


def _move_in(rng: random.Random, created: float) -> dt.date:
    entered = dt.datetime.fromtimestamp(created, UTC).date()
    return entered + dt.timedelta(days=rng.randint(7, 60))


__all__ = [
    "INTERACTION_COLUMNS",
    "NEED_COLUMNS",
    "NEED_PLACE_COLUMNS",
    "ClientFacts",
    "NeedBatch",
    "NeedContext",
    "client_stride",
    "generate_needs",
]
