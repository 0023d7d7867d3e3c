"""The admin site is a write path too: an edit there reaches matching as a service's would."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client as HttpClient

from anju.matching.models import ListingRow
from tests.factories import ListingFactory
from tests.geo.factories import SchoolFactory
from tests.layout_check import layout_differences


@pytest.fixture
def operator(db) -> HttpClient:
    user = get_user_model().objects.create_superuser("operator", "op@example.com", "x-Secret-2026")
    browser = HttpClient()
    browser.force_login(user)
    return browser


def _form_data(obj, **changes) -> dict:
    data = {k: v for k, v in model_to_dict(obj).items() if v is not None and v is not False}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


@pytest.mark.django_db
def test_a_flat_edited_in_the_admin_reaches_the_layout(operator):
    # given an active listing on the 8th floor with a lift
    listing = ListingFactory(status="active")
    flat = listing.property
    assert ListingRow.objects.get(listing_id=listing.pk).floor == 8
    # when an operator corrects the flat to the 2nd floor without a lift, in the admin
    data = _form_data(flat, floor=2, has_elevator=False)
    response = operator.post(f"/admin/listings/property/{flat.pk}/change/", data)
    # then the edit was saved and the listing's row says so, as a rebuild would
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ListingRow.objects.get(listing_id=listing.pk).floor == 2
    assert layout_differences() == ""


@pytest.mark.django_db
def test_a_school_assigned_in_the_admin_reaches_the_layout(operator):
    # given an active listing and a school not yet assigned to its community
    listing = ListingFactory(status="active")
    school = SchoolFactory(city=listing.community.district.city, name="实验小学")
    # when an operator assigns the school in the admin
    response = operator.post(
        "/admin/geo/schoolassignment/add/",
        {"community": listing.community_id, "school": school.pk, "year": 2026},
    )
    # then the listing's row now reads with the school, as a rebuild would
    assert response.status_code == 302, response.content.decode()[:2000]
    assert layout_differences() == ""
