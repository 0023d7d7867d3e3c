from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anju.clients.models import Client


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ["name", "masked_mobile", "owner", "store", "source", "created_at"]
    list_filter = ["company", "store", "source"]
    search_fields = ["name"]
    raw_id_fields = ["owner", "store"]
