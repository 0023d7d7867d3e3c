"""Keyset pagination: every row exactly once, in order, however the pages are cut."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anju.clients.models import Client
from anju.core.errors import ApplicationError
from anju.core.pagination import keyset_page
from tests.factories import ClientFactory


def walk(queryset, order, limit):
    seen, cursor = [], None
    while True:
        rows, cursor = keyset_page(queryset, order=order, cursor=cursor, limit=limit)
        seen.extend(r.pk for r in rows)
        if cursor is None:
            return seen


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_pages_cover_every_row_once_in_order_with_ties_on_the_sort_key(agent, limit):
    # given rows that share creation times, so only the id breaks ties
    same = timezone.now() - dt.timedelta(days=1)
    for i in range(11):
        ClientFactory(owner=agent, created_at=same if i % 2 else same - dt.timedelta(hours=i))
    qs = Client.objects.all()
    # when
    seen = walk(qs, ["-created_at", "-id"], limit)
    # then
    expected = list(qs.order_by("-created_at", "-id").values_list("pk", flat=True))
    assert seen == expected


def test_rows_added_while_paging_do_not_shift_later_pages(agent):
    # given
    ClientFactory.create_batch(6, owner=agent)
    qs = Client.objects.all()
    first, cursor = keyset_page(qs, order=["id"], cursor=None, limit=3)
    # when a new row arrives before the next page is read
    ClientFactory(owner=agent)
    second, _ = keyset_page(qs, order=["id"], cursor=cursor, limit=3)
    # then
    assert [r.pk for r in second] == sorted(r.pk for r in qs)[3:6]
    assert {r.pk for r in first}.isdisjoint({r.pk for r in second})


@pytest.mark.parametrize("cursor", ["not-base64!!", "WyJ4Il0", "e30"])
def test_a_broken_cursor_is_a_clear_error(db, cursor):
    with pytest.raises(ApplicationError, match="分页游标无效"):
        keyset_page(Client.objects.all(), order=["-created_at", "-id"], cursor=cursor, limit=10)


def test_api_reports_a_broken_cursor_as_400(agent):
    from tests.conftest import login

    response = login(agent).get("/api/v1/clients?cursor=garbage")
    assert response.status_code == 400
    assert response.json() == {"code": "cursor_invalid", "message": "分页游标无效。"}
