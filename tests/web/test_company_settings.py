from __future__ import annotations

from tests.conftest import login


def test_admin_changes_the_pool_rules(admin_agent):
    web = login(admin_agent)
    web.post(
        "/settings/company/",
        {"pool_return_days": 20, "pool_warning_days": 3, "daily_claim_limit": 5, "listing_fresh_days": 10},
    )
    admin_agent.company.refresh_from_db()
    company = admin_agent.company
    assert (
        company.pool_return_days,
        company.pool_warning_days,
        company.daily_claim_limit,
        company.listing_fresh_days,
    ) == (20, 3, 5, 10)


def test_out_of_range_settings_are_refused_and_nothing_changes(admin_agent):
    page = login(admin_agent).post(
        "/settings/company/",
        {"pool_return_days": 2, "pool_warning_days": 1, "daily_claim_limit": 5, "listing_fresh_days": 10},
    )
    assert "应在 3 到 365 之间" in page.content.decode()
    warning = login(admin_agent).post(
        "/settings/company/",
        {"pool_return_days": 5, "pool_warning_days": 5, "daily_claim_limit": 5, "listing_fresh_days": 10},
    )
    assert "回池提醒天数必须少于回池天数。" in warning.content.decode()
    admin_agent.company.refresh_from_db()
    assert admin_agent.company.pool_return_days == 15


def test_managers_cannot_change_company_settings(manager):
    assert login(manager).get("/settings/company/").status_code == 403
