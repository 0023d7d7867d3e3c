"""Every operation of /api/v1/ fuzzed from its own OpenAPI schema (schemathesis, in process over WSGI).

New endpoints are covered by being in the schema. Requests carry an agent's personal token, and
integer path parameters are mostly steered to records that exist — the agent's own, a colleague's,
the public pool's, another company's — so the answers checked are real 200s, 403s and 404s rather
than only "not found".
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from anju.archive.services import document_upload
from anju.complaints.services import complaint_record
from anju.deals.services import OfferTerms, deal_create, offer_make
from anju.demo.documents import tiny_pdf
from anju.org.services import token_create
from anju.showings.services import showing_plan
from anju.wsgi import application
from tests.factories import AgentFactory, ClientFactory, CompanyFactory, ListingFactory, StoreFactory

SCHEMA_PATH = "/api/v1/openapi.json"
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]


@dataclass
class World:
    """The caller's token, and the ids of the records around them that path parameters are steered to."""

    token: str
    ids: dict[str, list[int]]

    def steer(self, path_parameters: dict) -> None:
        """Most generated ids become ids that exist; every (n+1)-th stays as generated, to probe absent ones."""
        for name, value in path_parameters.items():
            known = self.ids.get(name)
            if isinstance(value, str) and value.isdigit():
                value = int(value)
            if known and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                index = value % (len(known) + 1)
                if index < len(known):
                    path_parameters[name] = known[index]


@pytest.fixture(autouse=True)
def connection_kept_across_requests():
    """Keep the test's database connection open across requests, as Django's own test client does.

    At the end of every request Django closes connections that are not in autocommit mode, and the
    test's transaction is such a connection: on PostgreSQL every later query of the test would fail.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, viewer_role: str) -> World:
    company = CompanyFactory(name="安居地产")
    store = StoreFactory(company=company, name="光谷店")
    agent = AgentFactory(company=company, store=store, name="张伟", role=viewer_role)
    colleague = AgentFactory(company=company, store=store, name="李娜")
    pool_client = ClientFactory(company=company, owner=None, store=None, name="公客")
    own_client = ClientFactory(owner=agent, name="私客")
    colleagues_client = ClientFactory(owner=colleague, name="同事私客")
    own_listing = ListingFactory(agent=agent)
    colleagues_listing = ListingFactory(agent=colleague, kind="rent")

    other_company = CompanyFactory(name="别家地产")
    outsider = AgentFactory(company=other_company, store=StoreFactory(company=other_company), name="外人")
    outsiders_client = ClientFactory(owner=outsider)
    outsiders_listing = ListingFactory(agent=outsider)
    outsiders_token, _ = token_create(user=outsider.user, name="别家脚本")
    deal = deal_create(listing=own_listing, buyer=own_client, by=agent)
    offer = offer_make(deal=deal, terms=OfferTerms(side="seller", price=Decimal("1900000.00")), by=agent)
    contract = document_upload(
        deal=deal, by=agent, file=io.BytesIO(tiny_pdf("Contract")), name="合同.pdf", kind="contract"
    )

    # A showing of the agent's own, for the showings' operations to find.
    store.latitude, store.longitude = Decimal("30.55"), Decimal("114.30")
    store.save()
    shown = ListingFactory(agent=agent, verified_at=timezone.now())
    showing = showing_plan(
        agent=agent,
        client=own_client,
        starts_at=timezone.now() + dt.timedelta(days=1),
        listing_ids=[shown.pk],
    )

    # A complaint of the agent's own client, for the complaints' operations to find.
    complaint = complaint_record(
        by=agent, client=own_client, severity="urgent", category="服务态度", text="迟到"
    )

    _, raw = token_create(user=agent.user, name="接口测试")
    # A second token of the agent's own, for the revoke endpoint to find without locking the test out.
    spare, _ = token_create(user=agent.user, name="备用")
    return World(
        token=raw,
        ids={
            "client_id": [own_client.pk, pool_client.pk, colleagues_client.pk, outsiders_client.pk],
            "listing_id": [own_listing.pk, colleagues_listing.pk, outsiders_listing.pk],
            "agent_id": [agent.pk, colleague.pk, outsider.pk],
            "token_id": [spare.pk, outsiders_token.pk],
            "deal_id": [deal.pk],
            "offer_id": [offer.pk],
            "showing_id": [showing.pk],
            "stop_id": [stop.pk for stop in showing.stops.all()],
            "doc_id": [contract.pk],
            "complaint_id": [complaint.pk],
        },
    )


@schema.parametrize()
# An agent sees their own clients; a manager the whole store's. (The parametrisation also gives each
# operation its own test id: pytest 9 would otherwise name every operation's test the same.)
@pytest.mark.parametrize("viewer_role", ["agent", "manager"])
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_operation_honours_its_schema(case, world):
    # given
    if case.path_parameters:
        world.steer(case.path_parameters)
    # when / then: no server error; status, content type and body are the documented ones;
    # and the same request without the token is refused.
    # Each example in a savepoint of its own, rolled back after it: in production every request
    # starts afresh (autocommit), so an input that PostgreSQL refuses (answered 400 out_of_range)
    # must not leave the test's one transaction aborted for the examples after it.
    savepoint = transaction.savepoint()
    try:
        case.call_and_validate(headers={"Authorization": f"Bearer {world.token}"}, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)
