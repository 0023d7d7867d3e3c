"""``anju market refresh``: every company, or the one asked for."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from anju.market.models import MarketMonth, MarketRefresh
from tests.factories import ListingFactory


@pytest.mark.django_db
def test_the_command_refreshes_the_company_asked_for(agent, stranger):
    # given
    ListingFactory(agent=agent, listed_on=timezone.localdate().replace(day=1))
    ListingFactory(agent=stranger)
    out = StringIO()
    # when
    call_command("market", "refresh", "--company", str(agent.company_id), "--no-progress", stdout=out)
    # then
    assert "1 套房源" in out.getvalue()
    assert set(MarketRefresh.objects.values_list("company_id", flat=True)) == {agent.company_id}
    assert MarketMonth.objects.filter(company=agent.company, scope="city").exists()


@pytest.mark.django_db
def test_an_unknown_company_is_refused(agent):
    with pytest.raises(CommandError, match="没有编号为 999999 的公司"):
        call_command("market", "refresh", "--company", "999999", "--no-progress")
