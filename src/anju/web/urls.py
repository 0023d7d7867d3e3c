from django.urls import path

from anju.web.views import account, auth, pages

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", pages.workbench, name="workbench"),
    path("clients/", pages.clients, name="clients"),
    path("listings/", pages.listings, name="listings"),
    path("showings/", pages.pending_section, {"section": "showings"}, name="showings"),
    path("deals/", pages.pending_section, {"section": "deals"}, name="deals"),
    path("calculators/", pages.pending_section, {"section": "calculators"}, name="calculators"),
    path("care/", pages.pending_section, {"section": "care"}, name="care"),
    path("reports/", pages.pending_section, {"section": "reports"}, name="reports"),
    path("settings/", account.settings_page, name="settings"),
    path("settings/tokens/", account.token_create, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
]
