from django.urls import path

from anju.web.views import (
    account,
    archive,
    auth,
    care,
    clients,
    communities,
    complaints,
    deals,
    listings,
    market,
    matches,
    needs,
    open_days,
    pages,
    presentation,
    showing_calendar,
    showings,
    staff,
)
from anju.web.views import calculators as calculator_views
from anju.web.views import contracts as contract_views
from anju.web.views import guide as guide_views
from anju.web.views import imports as imports_views
from anju.web.views import processing as processing_views
from anju.web.views import processing_money as processing_money_views
from anju.web.views import referrals as referral_views
from anju.web.views import reports as report_views

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", pages.workbench, name="workbench"),
    path("help/", guide_views.guide, name="guide"),
    path("notifications/<int:notification_id>/read/", pages.notification_read, name="notification_read"),
    path("clients/", clients.client_list, name="clients"),
    path("clients/new/", clients.client_create, name="client_create"),
    path("clients/reveals/", clients.reveals, name="client_reveals"),
    path("clients/<int:client_id>/", clients.client_detail, name="client_detail"),
    path("clients/<int:client_id>/edit/", clients.client_edit, name="client_edit"),
    path("clients/<int:client_id>/reveal/", clients.client_reveal, name="client_reveal"),
    path("clients/<int:client_id>/claim/", clients.client_claim, name="client_claim"),
    path("clients/<int:client_id>/release/", clients.client_release, name="client_release"),
    path("clients/<int:client_id>/transfer/", clients.client_transfer, name="client_transfer"),
    path("clients/<int:client_id>/merge/", clients.client_merge, name="client_merge"),
    path("clients/<int:client_id>/needs/", needs.client_needs, name="client_needs"),
    path("clients/<int:client_id>/needs/new/", needs.need_create_page, name="need_create"),
    path("clients/<int:client_id>/interactions/", needs.interaction_create_view, name="interaction_create"),
    path("clients/<int:client_id>/timeline/", needs.client_timeline_part, name="client_timeline"),
    path("needs/<int:need_id>/edit/", needs.need_edit_page, name="need_edit"),
    path("needs/<int:need_id>/status/", needs.need_status, name="need_status"),
    path("needs/<int:need_id>/matches/", matches.need_matches, name="need_matches"),
    path("needs/<int:need_id>/matches/settings/", matches.need_match_settings, name="need_match_settings"),
    path(
        "needs/<int:need_id>/matches/<int:listing_id>/mark/", matches.need_match_mark, name="need_match_mark"
    ),
    path("listings/<int:listing_id>/matches/", matches.listing_matches, name="listing_matches"),
    path("matches/approve/", matches.matches_approve_view, name="matches_approve"),
    path("matches/<int:match_id>/mark/", matches.match_mark, name="match_mark"),
    path("imports/", imports_views.imports, name="imports"),
    path("imports/<int:job_id>/", imports_views.import_job, name="import_job"),
    path("imports/<int:job_id>/again/", imports_views.import_job_again, name="import_job_again"),
    path("imports/<int:job_id>/report.csv", imports_views.import_report, name="import_report"),
    path("imports/template/<str:kind>.csv", imports_views.import_template, name="import_template"),
    path("exports/<str:kind>.xlsx", imports_views.export, name="export"),
    path("market/", market.market_overview, name="market"),
    path("market/districts/<int:district_id>/", market.market_district, name="market_district"),
    path(
        "market/districts/<int:district_id>/summary/",
        market.market_district_summary,
        name="market_district_summary",
    ),
    path("settings/", account.settings_page, name="settings"),
    path("settings/tokens/", account.token_create, name="token_create"),
    path("settings/password/", account.password_change, name="password_change"),
    path("settings/company/", staff.company_settings, name="company_settings"),
    path("settings/staff/", staff.staff, name="staff"),
    path("settings/stores/<int:store_id>/", staff.store_edit, name="store_edit"),
    path("settings/staff/new/", staff.staff_create, name="staff_create"),
    path("settings/staff/<int:agent_id>/", staff.staff_edit, name="staff_edit"),
    path("settings/staff/<int:agent_id>/active/", staff.staff_set_active, name="staff_set_active"),
    path("settings/staff/<int:agent_id>/password/", staff.staff_set_password, name="staff_set_password"),
    path("settings/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
    *communities.urlpatterns,
    *listings.urlpatterns,
    *deals.urlpatterns,
    *care.urlpatterns,
    *showing_calendar.urlpatterns,
    *showings.urlpatterns,
    *archive.urlpatterns,
    *processing_views.urlpatterns,
    *processing_money_views.urlpatterns,
    *calculator_views.urlpatterns,
    *report_views.urlpatterns,
    *contract_views.urlpatterns,
    *presentation.urlpatterns,
    *open_days.urlpatterns,
    *referral_views.urlpatterns,
    *complaints.urlpatterns,
]
