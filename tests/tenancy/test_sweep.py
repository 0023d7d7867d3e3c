"""Tenancy at scale: three demo agencies in one PostgreSQL database, and a sweep over every URL.

Every URL pattern of the project that takes an object's id (the pages and the JSON API under
/api/v1/) is requested by the administrator of the first company with the ids of the other two:
each answers 404 (or 403) and changes nothing. The same URLs with the first company's own ids
answer 200, so the sweep is known to reach the views. ``PARAMETERS`` says which model each path
parameter names; a URL added later with a parameter it does not know fails
``test_every_parameterised_url_is_swept`` — the sweep is generated from the URL patterns, not
written out by hand.

Size: ``anju demo --companies 3 --listings 300 --clients 200`` (the default is 5,000 listings and
3,000 clients for one company). Every kind of record the demo makes is there for each company —
deals at every stage with their processing, contracts, showings, open days, complaints,
referrals, outreach — since those are built from fixed plans; only the big tables are smaller, and
their size does not change which code answers a URL. At the default size the three companies take
minutes to build, at this one about half a minute of CPU, once per module, rolled back afterwards.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from tests.conftest import login, skip_or_fail
from tests.deals.word import docx_with

from anju.archive.models import Document
from anju.clients.models import Client
from anju.complaints.models import Complaint
from anju.deals.contracts.models import ContractTemplate
from anju.deals.contracts.services import contract_template_upload
from anju.deals.models import Deal, Offer
from anju.demo.agency import COMPANIES
from anju.demo.generate import demo_generate
from anju.geo.models import Amenity, Building, Community, CommunityAlias, SchoolAssignment
from anju.geo.services import alias_add, amenity_add
from anju.imports.models import ImportJob
from anju.listings.models import Listing, ListingMedia
from anju.matching.models import Match
from anju.messaging.models import Message
from anju.needs.models import Need
from anju.org.models import Agent, ApiToken, Company, Notification, Role, Store
from anju.org.services import token_create
from anju.outreach.models import Partner
from anju.processing.models import HandoverItem, LoanPaper, Milestone, Problem, Visit
from anju.processing.services import problem_raise
from anju.referrals.models import Referral, Reward
from anju.showings.models import OpenDay, OpenDaySignup, Showing, ShowingConfirmation, Stop

pytestmark = [pytest.mark.postgres]

LISTINGS, CLIENTS = 300, 200


@dataclass(frozen=True)
class Ref:
    """A path parameter that names a row: its model, the lookup from the row to its company, and
    the other path parameters of the same URL read off the row (``deal_id`` of an offer)."""

    model: type[models.Model]
    company: str = "company_id"
    parents: dict[str, str] = field(default_factory=dict)
    # Which row of the company to take, so that its pages answer 200 (a deal with a contract…).
    prefer: dict[str, Any] = field(default_factory=dict)
    key: str = "pk"  # the lookup that gives the parameter itself


# What each path parameter is. A parameter missing here fails the test below.
PARAMETERS: dict[str, Ref] = {
    "agent_id": Ref(Agent),
    "token_id": Ref(ApiToken, "user__agent__company_id"),
    "store_id": Ref(Store),
    "notification_id": Ref(Notification, "agent__company_id", prefer={"agent__role": Role.ADMIN}),
    "job_id": Ref(ImportJob),
    "client_id": Ref(Client, prefer={"merged_into__isnull": True}),
    "need_id": Ref(Need),
    "listing_id": Ref(Listing),
    "media_id": Ref(ListingMedia, "listing__company_id", {"listing_id": "listing_id"}),
    "match_id": Ref(Match),
    "community_id": Ref(Community),
    "alias_id": Ref(CommunityAlias, "community__company_id", {"community_id": "community_id"}),
    "building_id": Ref(Building, "community__company_id", {"community_id": "community_id"}),
    "assignment_id": Ref(SchoolAssignment, "community__company_id", {"community_id": "community_id"}),
    "amenity_id": Ref(Amenity, "community__company_id", {"community_id": "community_id"}),
    "deal_id": Ref(Deal, prefer={"plan__isnull": False}),
    "offer_id": Ref(Offer, "deal__company_id", {"deal_id": "deal_id"}),
    "doc_id": Ref(Document, parents={"deal_id": "deal_id"}),
    "document_id": Ref(Document, parents={"deal_id": "deal_id"}),
    "milestone_id": Ref(Milestone, "plan__deal__company_id", {"deal_id": "plan__deal_id"}),
    "problem_id": Ref(
        Problem,
        "milestone__plan__deal__company_id",
        {"milestone_id": "milestone_id", "deal_id": "milestone__plan__deal_id"},
    ),
    "item_id": Ref(HandoverItem, "deal__company_id", {"deal_id": "deal_id"}),
    "visit_id": Ref(Visit, "deal__company_id", {"deal_id": "deal_id"}),
    "paper_id": Ref(LoanPaper, "loan__deal__company_id", {"deal_id": "loan__deal_id"}),
    "template_id": Ref(ContractTemplate),
    "showing_id": Ref(Showing),
    "stop_id": Ref(Stop, "showing__company_id", {"showing_id": "showing_id"}),
    "confirmation_id": Ref(ShowingConfirmation, parents={"showing_id": "showing_id"}),
    "open_day_id": Ref(OpenDay),
    "signup_id": Ref(OpenDaySignup, "open_day__company_id", {"open_day_id": "open_day_id"}),
    "partner_id": Ref(Partner),
    "message_id": Ref(Message),
    "complaint_id": Ref(Complaint),
    "referral_id": Ref(Referral),
    "reward_id": Ref(Reward, "referral__company_id", {"referral_id": "referral_id"}),
}
# Rows that URLs about one part of a record need, so that the positive control can answer 200:
# (the route contains, the parameter, the row to prefer).
ROUTE_PREFER: list[tuple[str, str, dict[str, Any]]] = [
    ("contract", "deal_id", {"contract__signed_at__isnull": False}),
    ("loan", "deal_id", {"loan__isnull": False}),
    ("archive.zip", "client_id", {"deals_as_buyer__isnull": False}),
    ("photo", "agent_id", {"photo__gt": ""}),  # an agent's photo: one the demo gave a photo
]
# Parameters that together name one row of another model: (the parameter read as ``key``, the row).
TOGETHER: dict[frozenset[str], tuple[str, Ref]] = {
    # A match of the need is marked: the need and the listing of one match.
    frozenset({"need_id", "listing_id"}): (
        "listing_id",
        Ref(Match, key="listing_id", parents={"need_id": "need_id"}),
    ),
}
# Parameters that name no company's row, each with why it is not swept.
NOT_ROWS: dict[str, str] = {
    "kind": "a kind of import, export or contract template, the same words for every company",
    "report": "the name of a report; what it counts is the viewer's company's (the search test)",
    "measure": "the name of a report's list of records, as above",
    "district_id": "districts are shared geography (decision 0001)",
    "slug": "a listing's public share link: open to anyone who has it, by design",
    "token": "a signed token in a link given out on purpose (progress page, unsubscribe)",
}

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # Django's pattern, "/deals/<int:deal_id>/offers/"
    params: tuple[str, ...]
    methods: tuple[str, ...]  # for the API, its operations' methods; for pages, GET and POST
    api: bool

    def url(self, ids: dict[str, int]) -> str:
        return "/" + PARAMETER.sub(lambda m: str(ids[m.group(1)]), self.route)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


@functools.cache
def openapi() -> dict[str, Any]:
    from anju.api import api

    return api.get_openapi_schema()


def _api_methods() -> dict[str, tuple[str, ...]]:
    """The API's methods per path, from its OpenAPI schema ("/api/v1/deals/{deal_id}" → GET, PATCH)."""
    schema = openapi()
    return {
        path: tuple(sorted(method.upper() for method in operations))
        for path, operations in schema["paths"].items()
    }


def parameterised_routes() -> list[Route]:
    api_methods = _api_methods()
    routes: dict[str, Route] = {}
    for route, _pattern in _patterns(get_resolver()):
        params = tuple(PARAMETER.findall(route))
        if not params or route.startswith("admin/"):  # Django's admin: the superuser's, not an agency's
            continue
        api = route.startswith("api/")
        methods = api_methods["/" + PARAMETER.sub(r"{\1}", route)] if api else ("GET", "POST")
        routes[route] = Route(route, params, methods, api)
    return list(routes.values())


def swept(route: Route) -> bool:
    return not any(param in NOT_ROWS for param in route.params)


def test_every_parameterised_url_is_swept():
    # given every URL pattern that takes a parameter
    routes = parameterised_routes()
    # then each parameter is either a row the sweep substitutes, or named as not a company's row
    unknown = sorted({p for r in routes for p in r.params if p not in PARAMETERS and p not in NOT_ROWS})
    assert unknown == [], f"add these path parameters to PARAMETERS (or NOT_ROWS, saying why): {unknown}"
    # and each swept URL has one parameter whose row gives all the others
    for route in filter(swept, routes):
        assert _source(route) is not None, (
            f"{route.route}: no parameter's row gives the others ({route.params})"
        )
    # positive control: the sweep covers the pages and the API, well over a hundred URLs
    assert sum(r.api for r in routes if swept(r)) > 60
    assert sum(not r.api for r in routes if swept(r)) > 100


def _source(route: Route) -> tuple[str, Ref] | None:
    """The parameter whose row gives every other parameter of the route, and how to find the row."""
    if (together := TOGETHER.get(frozenset(route.params))) is not None:
        return together
    for param in route.params:
        if set(route.params) - {param} <= set(PARAMETERS[param].parents):
            return param, PARAMETERS[param]
    return None


# --- three companies ----------------------------------------------------------------------------


@dataclass
class Tenants:
    ours: Company
    others: list[Company]
    admin: Agent  # the most powerful role of the first company


@pytest.fixture(scope="module")
def tenants(django_db_setup, django_db_blocker) -> Iterator[Tenants]:
    """Three demo companies, built once for the module inside a transaction rolled back at its end.

    The tests that use it are marked ``django_db`` (without it pytest-django sets up no test
    database); each runs in a savepoint of this transaction."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            skip_or_fail("postgres", "tenancy at scale is tested on PostgreSQL (DATABASE_URL=postgres://…)")
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_generate(listings=LISTINGS, clients=CLIENTS, companies=3, progress=False)
            companies = list(Company.objects.filter(name__in=[c.name for c in COMPANIES]).order_by("pk"))
            for company in companies:
                _add_what_the_demo_does_not_make(company)
            admin = Agent.objects.get(company=companies[0], role=Role.ADMIN)
            yield Tenants(ours=companies[0], others=companies[1:], admin=admin)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _add_what_the_demo_does_not_make(company: Company) -> None:
    """A row of each kind the sweep needs and the demo does not create (it has no use for them)."""
    admin = Agent.objects.get(company=company, role=Role.ADMIN)
    token_create(user=admin.user, name="扫描")
    Notification.objects.create(agent=admin, text="扫描用的提醒", key=f"sweep:{company.pk}")
    community = Community.objects.filter(company=company).order_by("pk").first()
    assert community is not None
    alias_add(community=community, name=f"{community.name}别名")
    amenity_add(community=community, kind="hospital", name="社区医院", distance_m=300)
    milestone = (
        Milestone.objects.filter(plan__deal__company=company, done_on__isnull=True).order_by("pk").first()
    )
    assert milestone is not None
    problem_raise(milestone=milestone, text="缺少材料", owner=admin, due_on=milestone.due_on, by=admin)
    contract_template_upload(
        company=company, kind="resale", file=io.BytesIO(docx_with("本公司合同 {{ price }}")), by=admin
    )
    ImportJob.objects.create(
        company=company, created_by=admin, kind="clients", file="imports/empty.csv", status="done"
    )


# --- the sweep --------------------------------------------------------------------------------

# Rows that a request may write whoever asks: the session and the sign-in records.
UNWATCHED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
MUTATING = ("POST", "PUT", "PATCH", "DELETE")


def ids_of(route: Route, company: Company) -> dict[str, int] | None:
    """Ids of one row of ``company`` for each parameter of ``route``, consistent with each other."""
    source = _source(route)
    assert source is not None
    leaf, ref = source
    lookups = {
        ref.key: leaf,
        **{lookup: param for param, lookup in ref.parents.items() if param in route.params},
    }
    rows = ref.model._default_manager.filter(**{ref.company: company.pk}).order_by("pk")
    prefer = dict(ref.prefer)
    for part, param, wanted in ROUTE_PREFER:
        if part in route.route and param == leaf:
            prefer.update(wanted)
    row = rows.filter(**prefer).values(*lookups).first() or rows.values(*lookups).first()
    if row is None:
        return None
    return {param: row[lookup] for lookup, param in lookups.items()}


def route_leaf(route: Route) -> str:
    source = _source(route)
    assert source is not None
    return source[0]


def checksum() -> dict[str, tuple[int, int]]:
    """Per table, its row count and a sum of its rows' hashes: any insert, update or delete shows."""
    sums = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in UNWATCHED_TABLES:
                continue
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM {name} t")  # noqa: S608
            sums[table] = cursor.fetchone()
    return sums


def minimal_body(route: Route, method: str) -> dict[str, Any]:
    """The smallest JSON body the API's schema accepts for the operation: its required fields."""
    schema = openapi()
    path = "/" + PARAMETER.sub(r"{\1}", route.route)
    operation = schema["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    return _example(body, schema["components"]["schemas"]) if body else {}


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for choice in ("anyOf", "oneOf", "allOf"):
        if choice in schema:
            return _example(schema[choice][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _example(properties[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "string":
        return {"date": "2025-06-16", "date-time": "2025-06-16T10:00:00+08:00"}.get(
            schema.get("format", ""), "扫描"
        )
    if kind in {"integer", "number"}:
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    return None


def request(
    browser: HttpClient, route: Route, method: str, url: str, form: dict[str, str] | None = None
) -> int:
    if method == "GET":
        return browser.get(url).status_code
    if route.api:
        data = minimal_body(route, method)
        return browser.generic(
            method, url, data=json.dumps(data), content_type="application/json"
        ).status_code
    return browser.post(url, form or {}).status_code


@pytest.mark.django_db
def test_no_url_reaches_another_companys_rows(tenants):
    """Signed in as the first company's administrator, every URL with the other companies' ids is
    not found (or forbidden) and changes nothing; with the company's own ids, every page answers."""
    browser = login(tenants.admin)
    browser.raise_request_exception = False
    routes = [r for r in parameterised_routes() if swept(r)]
    before = checksum()
    # when every URL is asked with the ids of another company, and with ours around theirs
    leaks: list[str] = []
    asked = 0
    for number, route in enumerate(routes):
        other = tenants.others[number % len(tenants.others)]
        theirs = ids_of(route, other)
        ours = ids_of(route, tenants.ours)
        assert theirs is not None, f"{other.name} has no row for {route.route}"
        assert ours is not None, f"{tenants.ours.name} has no row for {route.route}"
        leaf = route_leaf(route)
        variants = [theirs]
        if (
            len(route.params) > 1
        ):  # their row under our parents: the lookup must be scoped, not just the parent's
            variants.append({**ours, leaf: theirs[leaf]})
        for ids in variants:
            url = route.url(ids)
            for method in route.methods:
                status = request(browser, route, method, url)
                asked += 1
                # 405: the URL takes no such method (a page's GET-only view asked with POST).
                # 422: the API refused the body before any row was looked up.
                allowed = {403, 404, 405} | ({422} if route.api and method in MUTATING else set())
                if status not in allowed:
                    leaks.append(f"{method} {url} ({route.route}) → {status}")
    after = checksum()
    # then
    assert leaks == [], f"{len(leaks)} of {asked} requests reached another company's rows:\n" + "\n".join(
        leaks
    )
    changed = sorted(table for table in before if before[table] != after.get(table))
    assert changed == [], f"the sweep changed rows in {changed}"
    # positive control: the same URLs with our own ids answer, so the sweep reached the views:
    # a page 200 (or a redirect to the record's page); an action that only takes POST (405 to a
    # GET) anything but 404 to an empty POST, each in a savepoint of its own so it changes nothing
    # the next one needs (the API's DELETE of an alias before the page's)
    missing = []
    actions = []
    for route in routes:
        url = route.url(ids_of(route, tenants.ours) or {})
        if "GET" in route.methods:
            status = browser.get(url).status_code
            if status in {200, 302}:
                continue
            if status != 405:
                missing.append(f"GET {url} ({route.route}) → {status}")
                continue
        actions.append((route, url))
    for route, url in actions:
        method = next(m for m in route.methods if m in MUTATING)
        with transaction.atomic():
            # The one field an empty form cannot do without (a transfer's receiver, looked up first).
            status = request(browser, route, method, url, {"to_agent": str(tenants.admin.pk)})
            transaction.set_rollback(True)
        if status in {404, 405}:
            missing.append(f"{method} {url} ({route.route}) → {status}")
    assert missing == [], "own rows that did not answer:\n" + "\n".join(missing)


# --- lists and searches -------------------------------------------------------------------------

# Query parameters of the API's lists that take a row's id: the other companies' ids are tried.
QUERY_IDS: dict[str, type[models.Model]] = {
    "client_id": Client,
    "client": Client,
    "listing": Listing,
    "community": Community,
    "owner_id": Agent,
    "agent": Agent,
    "store": Store,
}


NONCES = {False: "无此词", True: "10987654321"}  # words no company has, Chinese and digits


def distinctive(company: Company, ours: Company) -> list[str]:
    """Words only ``company`` has: its name, a client's name and mobile, a community's name."""
    our_clients = Client.objects.filter(company=ours)
    client = (
        Client.objects.filter(company=company)
        .exclude(name__in=our_clients.values("name"))
        .order_by("pk")
        .values("name", "mobile")
        .first()
    )
    community = (
        Community.objects.filter(company=company)
        .exclude(name__in=Community.objects.filter(company=ours).values("name"))
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    assert client is not None and community is not None
    return [company.name, client["name"], client["mobile"], community]


def shown(response: Any) -> str:
    """What an answer shows, JSON with its Chinese unescaped."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def list_urls() -> list[str]:
    """Every page and API list without a path parameter, as the sweep's GETs."""
    urls = []
    for route, _pattern in _patterns(get_resolver()):
        if PARAMETER.search(route) or route.startswith(("admin/", "i18n/", "logout/")):
            continue
        urls.append("/" + route)
    return urls


@pytest.mark.django_db
def test_no_list_or_search_shows_another_companys_rows(tenants):
    """Every page and API list without an id, searched for words only another company has (a
    client's name and mobile, a community's name) and filtered by its ids, shows none of them."""
    browser = login(tenants.admin)
    browser.raise_request_exception = False
    theirs = {other: distinctive(other, tenants.ours) for other in tenants.others}
    found: list[str] = []
    errors: list[str] = []
    asked = 0
    for url in list_urls():
        queries = [""] + [f"?q={word}" for words in theirs.values() for word in words[1:]]
        # How often a page repeats what was searched for (the search box, its links; digits
        # unescaped, Chinese percent-encoded in a link): no more.
        echoes = {
            digits: shown(browser.get(f"{url}?q={nonce}")).count(nonce) for digits, nonce in NONCES.items()
        }
        if url.startswith("/api/"):
            operation = openapi()["paths"].get(url.rstrip("/"), {}).get("get", {})
            for parameter in operation.get("parameters", []):
                model = QUERY_IDS.get(parameter["name"])
                if model is not None:
                    for other in tenants.others:
                        row = model._default_manager.filter(company=other).order_by("pk").first()
                        assert row is not None
                        queries.append(f"?{parameter['name']}={row.pk}")
        for query in queries:
            response = browser.get(url + query)
            asked += 1
            if response.status_code >= 500:
                errors.append(f"GET {url}{query} → {response.status_code}")
            text = shown(response)
            searched = query.removeprefix("?q=")
            for other, words in theirs.items():
                for word in words:
                    if text.count(word) > (echoes[word.isdigit()] if word == searched else 0):
                        found.append(f"GET {url}{query} shows {other.name}'s “{word}”")
    assert errors == []
    assert found == [], f"{len(found)} of {asked} answers show another company's rows:\n" + "\n".join(found)
    # positive control: the same search with our own client's name finds it
    own = Client.objects.filter(company=tenants.ours).order_by("pk").values_list("name", flat=True).first()
    assert own is not None
    assert own in shown(browser.get(f"/clients/?q={own}"))
    assert own in shown(browser.get(f"/api/v1/clients?q={own}"))
