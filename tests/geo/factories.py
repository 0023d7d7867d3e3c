"""Factories for the building dictionary's parts (communities themselves are in tests/factories.py)."""

from __future__ import annotations

from decimal import Decimal

import factory

from anju.geo.models import Amenity, Building, CommunityAlias, School, SubwayStation
from tests.factories import CityFactory, CommunityFactory, DistrictFactory


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityAlias

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"别名{n}")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n + 1}栋")
    total_floors = 18
    units = 2
    has_elevator = True


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    city = factory.LazyAttribute(lambda s: s.district.city)
    name = factory.Sequence(lambda n: f"测试第{n}小学")
    level = "primary"


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubwayStation

    city = factory.SubFactory(CityFactory)
    line = "2号线"
    name = factory.Sequence(lambda n: f"测试站{n}")
    latitude = Decimal("30.550000")
    longitude = Decimal("114.300000")


class AmenityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amenity

    community = factory.SubFactory(CommunityFactory)
    kind = "market"
    name = factory.Sequence(lambda n: f"菜场{n}")
