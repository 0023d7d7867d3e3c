"""Each API schema has a name of its own: django-ninja files schemas in the OpenAPI document by class
name, so two classes called ``PlaceOut`` became one schema, and /needs was documented as sending a
``scope`` it never sends."""

from __future__ import annotations

from collections import Counter

from ninja import Schema

from anju.api import api


def _subclasses(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name():
    ours = [cls for cls in _subclasses(Schema) if cls.__module__.startswith("anju.")]
    # a positive control: the schemas of several apps were found
    assert {"ClientIn", "ListingIn", "MarketPlaceOut"} <= {cls.__name__ for cls in ours}
    names = Counter(cls.__name__ for cls in ours)
    assert [name for name, count in names.items() if count > 1] == []


def test_a_needs_places_are_documented_as_sent():
    components = api.get_openapi_schema()["components"]["schemas"]
    place = components["PlaceOut"]
    assert "scope" not in place.get("required", [])
    assert "scope" in components["MarketPlaceOut"]["required"]
