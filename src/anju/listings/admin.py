from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anju.listings.models import Listing, Property


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "area", "rooms", "floor", "total_floors", "company"]
    list_filter = ["company"]
    raw_id_fields = ["community"]


@admin.register(Listing)
class ListingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "status", "price", "agent", "store", "listed_on"]
    list_filter = ["company", "kind", "status"]
    raw_id_fields = ["property", "agent", "store", "district", "community"]
