"""A November of two stores, built through the services, with every report figure counted by hand.

The clock moves as the month did: clients arrive on 2 November, deals are signed on the 12th and
14th, one closes and a neglected client returns to the pool on the 16th (today), showings are
planned for the 17th to the 19th.

Store A (东湖店): 张伟 (``agent``), 李娜 (``colleague``), 王店长 (``manager``); store B: 刘强.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from anju.clients.services import clients_return_to_pool
from anju.deals.models import Deal
from anju.deals.services import (
    OfferTerms,
    deal_create,
    deal_move,
    deal_set_commission,
    offer_accept,
    offer_make,
)
from anju.org.models import Agent
from anju.processing.services import deal_close
from anju.showings.services import showing_cancel, showing_plan
from tests.factories import AgentFactory, ClientFactory, NeedFactory
from tests.processing.test_close import finish_everything
from tests.showings.conftest import home

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
TODAY = dt.datetime(2026, 11, 16, 10, 0, tzinfo=SHANGHAI)


def at(day: int, hour: int = 10, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


@dataclass
class World:
    other: Agent
    sold: Deal
    let_go: Deal


# What each report must say, counted by hand from the story below.
FUNNEL = {
    # company: 张伟 2 + 李娜 1 + 刘强 1 new clients; needs 张伟 1, 李娜 1, 刘强 1; 张伟's 2 showings
    # (the cancelled third left out); offers 张伟 3 (2 + 1 on an open deal), 李娜 1; signed 张伟 1, 李娜 1;
    # closed 张伟 1.
    "admin": {"clients": 4, "needs": 3, "showings": 2, "offers": 4, "deals": 2, "closed": 1},
    "manager": {"clients": 3, "needs": 2, "showings": 2, "offers": 4, "deals": 2, "closed": 1},
    "agent": {"clients": 2, "needs": 1, "showings": 2, "offers": 3, "deals": 1, "closed": 1},
}


def build_world(*, agent, colleague, manager, other_store, time_machine) -> World:
    time_machine.move_to(at(10, month=10), tick=False)
    # An old client of 张伟 whose follow-up date has passed (逾期), and one of 李娜 nobody has called since
    # August: tonight's job returns it to the pool (超期回池).
    ClientFactory(owner=agent, name="老客户", last_contact_at=at(9), next_follow_up_on=dt.date(2026, 11, 10))
    ClientFactory(owner=colleague, name="久未跟进", created_at=at(1, month=8), last_contact_at=at(1, month=8))
    other = AgentFactory(
        store=other_store, company=other_store.company, name="刘强", user__username="liuqiang"
    )

    time_machine.move_to(at(2, hour=9), tick=False)
    listings = [
        home(agent, latitude="30.550000", longitude=f"114.3{i}0000", name=name, price=Decimal("3000000.00"))
        for i, name in enumerate(("一号花园", "二号花园", "三号花园"), start=1)
    ]
    buyer_a = ClientFactory(owner=agent, name="买方甲")
    buyer_b = ClientFactory(owner=agent, name="买方乙")
    buyer_c = ClientFactory(owner=colleague, name="买方丙")
    client_d = ClientFactory(owner=other, name="客户丁")
    NeedFactory(client=buyer_a)
    NeedFactory(client=buyer_c)
    NeedFactory(client=client_d)

    time_machine.move_to(at(12), tick=False)
    sold = deal_create(listing=listings[0], buyer=buyer_a, by=agent)
    deal_set_commission(deal=sold, rate="0.02", payer="buyer", by=agent)
    offer_make(deal=sold, terms=OfferTerms(side="buyer", price=Decimal("2900000.00")), by=agent)
    accepted = offer_make(deal=sold, terms=OfferTerms(side="seller", price=Decimal("3000000.00")), by=agent)
    offer_accept(offer=accepted, by=agent)
    deal_move(deal=sold, to="contract", by=agent)
    open_deal = deal_create(listing=listings[2], buyer=buyer_b, by=agent)
    offer_make(deal=open_deal, terms=OfferTerms(side="buyer", price=Decimal("2800000.00")), by=agent)

    time_machine.move_to(at(14), tick=False)
    let_go = deal_create(listing=listings[1], buyer=buyer_c, by=colleague)
    deal_set_commission(deal=let_go, rate="0.02", payer="buyer", by=colleague)
    offer_accept(
        offer=offer_make(
            deal=let_go, terms=OfferTerms(side="seller", price=Decimal("2000000.00")), by=colleague
        ),
        by=colleague,
    )
    deal_move(deal=let_go, to="contract", by=colleague)

    time_machine.move_to(TODAY, tick=False)
    sold.refresh_from_db()
    finish_everything(sold, agent, manager)
    deal_close(deal=sold, by=agent)
    assert clients_return_to_pool() == 1
    showing_plan(agent=agent, client=buyer_a, starts_at=at(17), listing_ids=[listings[2].pk])
    showing_plan(agent=agent, client=buyer_b, starts_at=at(18), listing_ids=[listings[2].pk])
    cancelled = showing_plan(agent=agent, client=buyer_b, starts_at=at(19), listing_ids=[listings[2].pk])
    showing_cancel(showing=cancelled, by=agent, reason="客户临时有事")
    return World(other=other, sold=sold, let_go=let_go)
