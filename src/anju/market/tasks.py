"""The nightly market refresh, and the one a manager asks for from the 行情 page."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from anju.market.services import market_refresh, market_refresh_all
from anju.org.models import Company


# Huey reads crontabs in UTC: 19:30 UTC is 03:30 in Beijing, after the pool upkeep at 02:15.
@db_periodic_task(crontab(hour="19", minute="30"))
def nightly_market_refresh() -> int:
    """Rebuilds every company's figures; running it twice only rewrites the same rows."""
    return len(market_refresh_all())


@db_task()
def market_refresh_company(company_id: int) -> int:
    company = Company.objects.filter(pk=company_id).first()
    if company is None:  # deleted since the request
        return 0
    return market_refresh(company=company).rows
