"""The demo's client care (客户维护): every client scored as the nightly job scores them (tiers, reasons,
stage and next contact, so the workbench has contacts due), and one tier pinned by a store manager."""

from __future__ import annotations

from anju.care.services import tier_pin, tiers_recompute
from anju.clients.models import Client, Tier
from anju.org.models import Agent, Company, Role

PIN_REASON = "老业主介绍的客户，计划年后换大房"


def demo_care(company: Company) -> dict[str, int]:
    done = tiers_recompute(company_id=company.pk)
    manager = Agent.objects.filter(company=company, role=Role.MANAGER).order_by("pk").first()
    pinned = 0
    if manager is not None:
        client = (
            Client.objects.filter(company=company, store=manager.store, owner__isnull=False)
            .exclude(tier=Tier.A)
            .order_by("pk")
            .first()
        )
        if client is not None:
            tier_pin(client=client, by=manager, tier=Tier.A, reason=PIN_REASON)
            pinned = 1
    return {"客户分级": done["clients"], "手动分级": pinned}
