"""Factories for every app's models; tests build exactly the world they need."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from anju.clients.models import Client
from anju.core.announcements import announce
from anju.geo.models import BusinessArea, City, Community, District
from anju.listings.announcements import ListingsChanged
from anju.listings.models import Listing, Property
from anju.needs.announcements import NeedsChanged
from anju.org.models import Agent, Company, Role, Store

PASSWORD = "correct horse 安居"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"安居测试地产{n}")
    short_name = factory.Sequence(lambda n: f"测试{n}")
    city = "武汉"


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"第{n}门店")


@functools.cache
def _password_hash() -> str:
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # One Argon2 hash for every test user: hashing is deliberately slow, and sharing it is harmless.
    password = factory.LazyFunction(lambda: _password_hash())


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    user = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    company = factory.LazyAttribute(lambda a: a.store.company if a.store else CompanyFactory())
    name = factory.Sequence(lambda n: f"经纪人{n}")
    role = Role.AGENT


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("name",)

    name = "武汉"
    code = "420100"
    latitude = Decimal("30.593099")
    longitude = Decimal("114.305393")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"{429000 + n}")


class BusinessAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessArea

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"板块{n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    company = factory.SubFactory(CompanyFactory)
    business_area = factory.SubFactory(BusinessAreaFactory)
    district = factory.LazyAttribute(lambda c: c.business_area.district)
    name = factory.Sequence(lambda n: f"测试花园{n}期")
    latitude = Decimal("30.550000")
    longitude = Decimal("114.300000")
    build_year = 2010
    reference_price = Decimal("20000.00")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    owner = factory.SubFactory(AgentFactory)
    store = factory.LazyAttribute(lambda c: c.owner.store if c.owner else None)
    company = factory.LazyAttribute(lambda c: c.owner.company if c.owner else CompanyFactory())
    name = factory.Sequence(lambda n: f"客户{n}")
    mobile = factory.Sequence(lambda n: f"138{n:08d}")


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    company = factory.SubFactory(CompanyFactory)
    community = factory.SubFactory(CommunityFactory, company=factory.SelfAttribute("..company"))
    building = factory.Sequence(lambda n: str(n % 30 + 1))
    unit = "1"
    room_number = factory.Sequence(lambda n: f"{n % 30 + 1}0{n % 4 + 1}-{n}")
    floor = 8
    total_floors = 18
    area = Decimal("89.50")
    rooms = 3
    halls = 2
    baths = 1
    orientation = "SN"
    decoration = "fine"
    build_year = 2010
    has_elevator = True


def _announced(news) -> None:
    """Announce what a factory wrote, as the service writing it would: the listeners (matching's
    layout) keep up, inside the test's transaction (or one of its own in a live-server test)."""
    with transaction.atomic():
        announce(news)


class ListingFactory(factory.django.DjangoModelFactory):
    """A listing as ``listing_create`` leaves it, its matching row included."""

    class Meta:
        model = Listing
        skip_postgeneration_save = True

    agent = factory.SubFactory(AgentFactory)
    store = factory.LazyAttribute(lambda x: x.agent.store)
    company = factory.LazyAttribute(lambda x: x.agent.company)
    property = factory.SubFactory(PropertyFactory, company=factory.SelfAttribute("..company"))
    community = factory.LazyAttribute(lambda x: x.property.community)
    district = factory.LazyAttribute(lambda x: x.property.community.district)
    kind = "sale"
    price = Decimal("1800000.00")
    unit_price = factory.LazyAttribute(lambda x: (x.price / x.property.area).quantize(Decimal("0.01")))
    rooms = factory.LazyAttribute(lambda x: x.property.rooms)
    area = factory.LazyAttribute(lambda x: x.property.area)
    listed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))

    @factory.post_generation
    def announced(self, create, extracted, **kwargs):
        if create:
            _announced(ListingsChanged(company_id=self.company_id, listing_ids=(self.pk,)))


class NeedFactory(factory.django.DjangoModelFactory):
    """A buyer's need by default; pass ``kind="sell"`` with ``property=`` for a seller's."""

    class Meta:
        model = "needs.Need"
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    company = factory.LazyAttribute(lambda n: n.client.company)
    agent = factory.LazyAttribute(lambda n: n.client.owner or AgentFactory(store__company=n.client.company))
    kind = "buy"
    budget_min = Decimal("2500000.00")
    budget_max = Decimal("3200000.00")
    rooms_min = 3

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)

    @factory.post_generation
    def business_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.business_areas.set(extracted)

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)

    @factory.post_generation
    def announced(self, create, extracted, **kwargs):
        """Last, after any places given: the need's matching rows, as ``need_create`` leaves them."""
        if create:
            _announced(NeedsChanged(company_id=self.company_id, need_ids=(self.pk,)))


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clients.Interaction"

    client = factory.SubFactory(ClientFactory)
    agent = factory.LazyAttribute(lambda i: i.client.owner or AgentFactory(store__company=i.client.company))
    kind = "call"
    summary = "电话沟通，客户周末可以看房。"
    happened_at = factory.LazyFunction(timezone.now)


class PriceChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "listings.PriceChange"

    listing = factory.SubFactory(ListingFactory)
    old_price = factory.LazyAttribute(lambda c: c.listing.price + Decimal("50000.00"))
    new_price = factory.LazyAttribute(lambda c: c.listing.price)
    by = factory.LazyAttribute(lambda c: c.listing.agent)


class VerificationFactory(factory.django.DjangoModelFactory):
    """A verification that confirmed everything; it does not touch ``Listing.verified_at``."""

    class Meta:
        model = "listings.Verification"

    listing = factory.SubFactory(ListingFactory)
    by = factory.LazyAttribute(lambda v: v.listing.agent)
    method = "phone"
