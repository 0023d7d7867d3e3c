"""The demo's follow-up discipline (跟进纪律), so that report is not empty: some private clients whose
follow-up date passed a few days ago, and some that went back to the public pool in the last days as
the nightly job leaves them (``clients_return_to_pool``: an 超期回池 ownership change from their agent,
no owner, no store). The other reports read what the earlier phases made."""

from __future__ import annotations

import random

from django.utils.translation import gettext as _

from anju.clients.models import Client, OwnershipChange, OwnershipReason
from anju.demo.clock import DemoClock
from anju.org.models import Company

OVERDUE = 24
RETURNED = 12


def demo_follow_up_discipline(company: Company, clock: DemoClock, rng: random.Random) -> dict[str, int]:
    """Which clients and which days follow from the clients' ids alone, not from how many rows the
    earlier phases happened to touch, so the same seed gives the same rows."""
    private = Client.objects.filter(company=company, owner__isnull=False, merged_into__isnull=True)
    # Clients with a showing keep their agent. (Not "with a deal": the deals phase picks its buyers at
    # random in the database, and the same seed must give the same rows; a buyer in the pool is no harm.)
    busy = set(private.filter(showings__isnull=False).values_list("pk", flat=True))
    candidates = [
        (pk, owner_id)
        for pk, owner_id in private.order_by("pk").values_list("pk", "owner_id")[: (OVERDUE + RETURNED) * 4]
        if pk not in busy
    ]
    # Every other client each way, so a small demo has some of both.
    overdue, returned = candidates[0::2][:OVERDUE], candidates[1::2][:RETURNED]
    for client_id, _owner in overdue:
        Client.objects.filter(pk=client_id).update(next_follow_up_on=clock.date(1 + client_id % 9))
    note = _("%(days)s 天无跟进，自动回到公客池。") % {"days": company.pool_return_days}
    OwnershipChange.objects.bulk_create(
        OwnershipChange(
            client_id=client_id,
            from_agent_id=owner_id,
            to_agent=None,
            reason=OwnershipReason.AUTO_RETURN,
            by=None,
            # the nightly job's run, within the last days (today's included)
            at=clock.at(client_id % 5, 2 * 3600),
            note=note,
        )
        for client_id, owner_id in returned
    )
    Client.objects.filter(pk__in=[client_id for client_id, _owner in returned]).update(owner=None, store=None)
    return {"逾期未跟进": len(overdue), "超期回池": len(returned)}
