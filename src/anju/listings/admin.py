from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from anju.core.announcements import AnnouncesAdminEdits
from anju.listings.announcements import ListingsChanged
from anju.listings.models import Listing, ListingMedia, PriceChange, Property, Verification


@admin.register(Property)
class PropertyAdmin(AnnouncesAdminEdits, admin.ModelAdmin):
    list_display = ["__str__", "area", "rooms", "floor", "total_floors", "company"]
    list_filter = ["company"]
    search_fields = ["community__name", "building", "room_number"]
    raw_id_fields = ["community", "owner"]

    def announcements(self, obj: Property) -> list[object]:
        # A flat's facts (floor, lift, orientation, ...) are read with each of its listings.
        ids = tuple(Listing.objects.filter(property_id=obj.pk).order_by("pk").values_list("pk", flat=True))
        return [ListingsChanged(company_id=obj.company_id, listing_ids=ids)] if ids else []


class PriceChangeInline(admin.TabularInline):
    """Read only: the price changes through 调价 (``listing_reprice``), which writes this history."""

    model = PriceChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "old_price", "new_price", "by"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VerificationInline(admin.TabularInline):
    model = Verification
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "method", "exists", "available", "price_confirmed", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ListingMediaInline(admin.TabularInline):
    model = ListingMedia
    extra = 0
    readonly_fields = ["image", "width", "height", "uploaded_by", "uploaded_at"]
    fields = ["kind", "image", "caption", "position", "width", "height", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads are checked by listing_media_add; add them on the listing page


@admin.register(Listing)
class ListingAdmin(AnnouncesAdminEdits, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "status", "price", "agent", "store", "listed_on", "verified_at"]
    list_filter = ["company", "kind", "status"]
    raw_id_fields = ["property", "agent", "store", "district", "community", "seller", "keys_store"]
    # Price and status change only through the services, which keep their history.
    readonly_fields = ["price", "unit_price", "status", "verified_at"]
    inlines = [PriceChangeInline, VerificationInline, ListingMediaInline]

    def announcements(self, obj: Listing) -> list[object]:
        return [ListingsChanged(company_id=obj.company_id, listing_ids=(obj.pk,))]
