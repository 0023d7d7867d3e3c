from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anju.org.models import Agent, ApiToken, Company, Store


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "city", "created_at"]
    search_fields = ["name", "short_name"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "phone"]
    list_filter = ["company"]
    search_fields = ["name"]


@admin.register(Agent)
class AgentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "user", "company", "store", "role", "is_active"]
    list_filter = ["company", "store", "role", "is_active"]
    search_fields = ["name", "user__username", "mobile"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "last_used_at"]
    exclude = ["key_hash"]
