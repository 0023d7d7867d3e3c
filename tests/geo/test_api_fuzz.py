"""The dictionary's operations fuzzed from their OpenAPI schema, with ids steered to real records.

tests/api fuzzes every operation with ids that mostly do not exist; here path ids mostly point at
the caller's own community and its parts (and at another company's), so writes get past the 404
and their validation, permissions and conflicts are what is checked.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from anju.geo import services
from anju.org.services import token_create
from anju.wsgi import application
from tests.api.test_openapi_fuzz import CHECKS, SCHEMA_PATH, World, connection_kept_across_requests  # noqa: F401
from tests.factories import AgentFactory, CommunityFactory, CompanyFactory, StoreFactory
from tests.geo.factories import AliasFactory, AmenityFactory, BuildingFactory, SchoolFactory, StationFactory

schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application).include(
    path_regex=r"^/api/v1/(communities|geo)"
)


@pytest.fixture
def world(db, viewer_role: str) -> World:
    company = CompanyFactory(name="安居地产", city="武汉")
    agent = AgentFactory(company=company, store=StoreFactory(company=company), role=viewer_role)
    community = CommunityFactory(company=company, name="万科城市花园")
    building = BuildingFactory(community=community, name="1栋")
    alias = AliasFactory(community=community, name="城市花园")
    amenity = AmenityFactory(community=community)
    school = SchoolFactory(district=community.district)
    assignment = services.school_assign(community=community, school=school, building_ids=[building.pk])
    StationFactory(city=community.district.city)
    outsider = CommunityFactory(
        company=CompanyFactory(name="别家地产"), business_area=community.business_area
    )
    _, raw = token_create(user=agent.user, name="接口测试")
    return World(
        token=raw,
        ids={
            "community_id": [community.pk, outsider.pk],
            "building_id": [building.pk],
            "alias_id": [alias.pk],
            "amenity_id": [amenity.pk],
            "assignment_id": [assignment.pk],
        },
    )


@schema.parametrize()
# Agents meet the 403s, managers the validation and conflicts of real writes.
@pytest.mark.parametrize("viewer_role", ["agent", "manager"])
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_dictionary_operation_honours_its_schema(case, world):
    if case.path_parameters:
        world.steer(case.path_parameters)
    case.call_and_validate(headers={"Authorization": f"Bearer {world.token}"}, checks=CHECKS)
