"""A need's fields are named once, by kind, in ``needs.services.FIELDS_OF_KIND``: the API's body and
the page's form follow that list, so a field added there and forgotten in either fails here."""

from __future__ import annotations

import pytest

from anju.needs.models import NeedKind
from anju.needs.schemas import NeedFieldsIn
from anju.needs.services import ALL_FIELDS, FIELDS_OF_KIND
from anju.web.forms.needs import NeedForm
from tests.factories import ClientFactory, PropertyFactory


def test_the_api_body_names_exactly_the_needs_fields():
    assert set(NeedFieldsIn.model_fields) == set(ALL_FIELDS)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", NeedKind.values)
def test_the_form_hands_the_service_exactly_the_fields_of_its_kind(kind, agent):
    # given a client of the agent's, owning a flat (for the seller's and landlord's needs)
    client = ClientFactory(company=agent.company, owner=agent)
    flat = PropertyFactory(company=agent.company, owner=client)
    # when the form for a need of this kind is filled with the least it takes
    form = NeedForm({"kind": kind, "property": flat.pk}, client=client)
    # then it is valid and hands on every field of its kind and nothing else
    assert form.is_valid(), form.errors
    assert set(form.need_fields()) == set(FIELDS_OF_KIND[kind])
