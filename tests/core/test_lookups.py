"""``<field>__any``: rows by a list of values, on SQLite and on PostgreSQL, however long the list."""

from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anju.core.lookups import SQLITE_LOOKUP_BATCH, lookup_batches
from anju.org.models import Company, Store
from tests.factories import CompanyFactory, StoreFactory

# SQLite's limit on a statement's parameters (SQLITE_MAX_VARIABLE_NUMBER, since 3.32).
SQLITE_MAX_PARAMETERS = 32_766

pytestmark = pytest.mark.django_db


def test_an_empty_list_finds_nothing_without_asking(django_assert_num_queries):
    # given
    company = CompanyFactory()
    # when
    with django_assert_num_queries(0):
        found = list(Company.objects.filter(pk__any=[]))
    # then: nothing, while the same question with the company's id finds it
    assert found == []
    assert list(Company.objects.filter(pk__any=[company.pk])) == [company]


def test_one_id_finds_that_row_and_no_other():
    # given
    wanted, other = CompanyFactory(), CompanyFactory()
    # when
    found = list(Company.objects.filter(pk__any=[wanted.pk]))
    # then
    assert found == [wanted]
    assert list(Company.objects.exclude(pk__any=[wanted.pk])) == [other]


def test_more_ids_than_sqlite_takes_in_one_statement_are_asked_in_batches_and_all_found():
    # given: three companies among more ids than one SQLite statement may carry
    companies = [CompanyFactory() for _ in range(3)]
    unused = max(c.pk for c in companies) + 1
    ids = [*range(unused, unused + SQLITE_MAX_PARAMETERS + 1), *(c.pk for c in companies)]
    # when
    with CaptureQueriesContext(connection) as queries:
        found = [c for batch in lookup_batches(ids) for c in Company.objects.filter(pk__any=batch)]
    # then: exactly the three, once each
    assert sorted(c.pk for c in found) == sorted(c.pk for c in companies)
    # PostgreSQL takes the whole list as one parameter; SQLite asks in batches within its limit
    if connection.vendor == "postgresql":
        assert len(queries) == 1
        assert "= ANY(" in queries[0]["sql"]  # the ids as one array, not a placeholder each
    else:
        assert len(queries) == math.ceil(len(ids) / SQLITE_LOOKUP_BATCH)


def test_a_foreign_key_takes_ids_or_rows_and_a_text_field_its_values():
    # given
    mine, theirs = CompanyFactory(), CompanyFactory()
    store = StoreFactory(company=mine, name="光谷店")
    StoreFactory(company=theirs, name="街道口店")
    # when / then: by the foreign key's ids, by the rows themselves, by a text column
    assert list(Store.objects.filter(company_id__any=[mine.pk])) == [store]
    assert list(Store.objects.filter(company__any=[mine])) == [store]
    assert list(Store.objects.filter(name__any=["光谷店", "不存在的店"])) == [store]


def test_none_and_repeats_in_the_list_change_nothing():
    # given
    company = CompanyFactory()
    CompanyFactory()
    # when
    found = list(Company.objects.filter(pk__any=[None, company.pk, company.pk]))
    # then
    assert found == [company]


def test_a_subquery_is_asked_as_in():
    # given
    mine = CompanyFactory()
    store = StoreFactory(company=mine)
    StoreFactory()
    # when
    found = list(Store.objects.filter(company__any=Company.objects.filter(pk=mine.pk)))
    # then
    assert found == [store]
