from django.urls import path

from anju.web.views import account, auth, listings, needs, pages, staff
from anju.web.views import imports as imports_views

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", pages.workbench, name="workbench"),
    path("clients/", pages.clients, name="clients"),
    path("clients/<int:client_id>/needs/", needs.client_needs, name="client_needs"),
    path("clients/<int:client_id>/needs/new/", needs.need_create_page, name="need_create"),
    path("clients/<int:client_id>/interactions/", needs.interaction_create_view, name="interaction_create"),
    path("clients/<int:client_id>/timeline/", needs.client_timeline_part, name="client_timeline"),
    path("needs/<int:need_id>/edit/", needs.need_edit_page, name="need_edit"),
    path("needs/<int:need_id>/status/", needs.need_status, name="need_status"),
    path("imports/", imports_views.imports, name="imports"),
    path("imports/<int:job_id>/", imports_views.import_job, name="import_job"),
    path("imports/<int:job_id>/again/", imports_views.import_job_again, name="import_job_again"),
    path("imports/<int:job_id>/report.csv", imports_views.import_report, name="import_report"),
    path("imports/template/<str:kind>.csv", imports_views.import_template, name="import_template"),
    path("exports/<str:kind>.xlsx", imports_views.export, name="export"),
    path("showings/", pages.pending_section, {"section": "showings"}, name="showings"),
    path("deals/", pages.pending_section, {"section": "deals"}, name="deals"),
    path("calculators/", pages.pending_section, {"section": "calculators"}, name="calculators"),
    path("care/", pages.pending_section, {"section": "care"}, name="care"),
    path("reports/", pages.pending_section, {"section": "reports"}, name="reports"),
    path("settings/", account.settings_page, name="settings"),
    path("settings/tokens/", account.token_create, name="token_create"),
    path("settings/staff/", staff.staff, name="staff"),
    path("settings/staff/new/", staff.staff_create, name="staff_create"),
    path("settings/staff/<int:agent_id>/", staff.staff_edit, name="staff_edit"),
    path("settings/staff/<int:agent_id>/active/", staff.staff_set_active, name="staff_set_active"),
    path("settings/staff/<int:agent_id>/password/", staff.staff_set_password, name="staff_set_password"),
    path("settings/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
    *listings.urlpatterns,
]
