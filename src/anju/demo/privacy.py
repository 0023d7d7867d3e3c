"""The demo's personal information rights (个人信息保护法): a client who asked for a copy of their
data and then for its erasure, with an ID copy on their signed deal, so the erased client's page
(已按个人信息保护法删除, the records kept by law) and the audit view (个人信息访问记录: a reveal, the ID
copy opened, the export and the erasure) have something to show. Done through the services, as a
store manager would."""

from __future__ import annotations

import io

from anju.archive.models import DocumentKind
from anju.archive.services import document_open, document_upload
from anju.clients.models import Client
from anju.clients.services import client_erase, client_export, client_reveal
from anju.deals.models import Deal
from anju.demo.documents import tiny_pdf
from anju.org.models import Agent, Company, Role


def demo_privacy(company: Company) -> dict[str, int]:
    manager = Agent.objects.filter(company=company, role=Role.MANAGER).order_by("id").first()
    deal = (
        Deal.objects.filter(company=company, contract__signed_at__isnull=False, buyer__isnull=False)
        .filter(buyer__merged_into__isnull=True, store=manager.store if manager else None)
        .order_by("pk")
        .first()
    )
    if manager is None or deal is None:
        return {"已删除个人信息的客户": 0}
    client = Client.objects.get(pk=deal.buyer_id)
    id_copy = document_upload(
        deal=deal,
        by=deal.agent,
        file=io.BytesIO(tiny_pdf("ID card copy")),
        name="身份证复印件.pdf",
        kind=DocumentKind.ID_COPY,
    )
    document_open(document=id_copy, by=deal.agent).close()
    client_reveal(
        client=client, viewer=manager, field="mobile", reason="客户来电要求删除个人信息，回电核实身份"
    )
    client_export(client=client, by=manager)
    client_erase(client=client, by=manager, confirm_name=client.name)
    return {"已删除个人信息的客户": 1}
