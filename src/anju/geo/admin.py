"""The admin site (``/admin/``, for operators): the shared geography and every company's dictionary.

Saving coordinates here recomputes the nearby subway stations, as the services do for the app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from anju.core.announcements import AnnouncesAdminEdits
from anju.geo import services
from anju.geo.announcements import CommunitiesChanged
from anju.geo.models import (
    Amenity,
    Building,
    BusinessArea,
    City,
    Community,
    CommunityAlias,
    CommunityStation,
    District,
    School,
    SchoolAssignment,
    SubwayStation,
)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "code", "kind"]
    list_filter = ["city", "kind"]


@admin.register(BusinessArea)
class BusinessAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district__city", "district"]
    search_fields = ["name"]


class AliasInline(admin.TabularInline):
    model = CommunityAlias
    extra = 0
    fields = ["name", "pinyin_initials"]
    readonly_fields = ["pinyin_initials"]


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0
    fields = ["name", "total_floors", "units", "has_elevator", "build_year"]


class AmenityInline(admin.TabularInline):
    model = Amenity
    extra = 0


class StationInline(admin.TabularInline):
    model = CommunityStation
    extra = 0
    can_delete = False
    fields = ["station", "distance_m"]
    readonly_fields = ["station", "distance_m"]
    verbose_name_plural = "周边地铁（按坐标自动计算）"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Community)
class CommunityAdmin(AnnouncesAdminEdits, admin.ModelAdmin):
    list_display = ["name", "district", "business_area", "build_year", "reference_price", "company"]
    list_filter = ["company", "district"]
    search_fields = ["name", "pinyin_initials", "aliases__name"]
    raw_id_fields = ["business_area", "district"]
    readonly_fields = ["pinyin_initials"]
    inlines = [AliasInline, BuildingInline, AmenityInline, StationInline]

    def announcements(self, obj: Community) -> list[object]:
        return [CommunitiesChanged(community_ids=(obj.pk,))]

    def save_model(self, request: HttpRequest, obj: Community, form: Any, change: bool) -> None:
        moved = not change or bool({"latitude", "longitude", "district"} & set(form.changed_data))
        super().save_model(request, obj, form, change)
        if moved:
            services.community_refresh_stations(community=obj)


@admin.register(School)
class SchoolAdmin(AnnouncesAdminEdits, admin.ModelAdmin):
    list_display = ["name", "level", "is_key", "district", "city"]
    list_filter = ["city", "level", "is_key"]
    search_fields = ["name"]

    def announcements(self, obj: School) -> list[object]:
        ids = tuple(
            obj.assignments.order_by("community_id").values_list("community_id", flat=True).distinct()
        )
        return [CommunitiesChanged(community_ids=ids)] if ids else []


@admin.register(SchoolAssignment)
class SchoolAssignmentAdmin(AnnouncesAdminEdits, admin.ModelAdmin):
    list_display = ["community", "school", "year"]
    list_filter = ["school__level"]
    search_fields = ["community__name", "school__name"]
    raw_id_fields = ["community", "school"]
    filter_horizontal = ["buildings"]

    def announcements(self, obj: SchoolAssignment) -> list[object]:
        return [CommunitiesChanged(community_ids=(obj.community_id,))]


@admin.register(SubwayStation)
class SubwayStationAdmin(admin.ModelAdmin):
    list_display = ["name", "line", "city", "latitude", "longitude"]
    list_filter = ["city", "line"]
    search_fields = ["name"]

    def save_model(self, request: HttpRequest, obj: SubwayStation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or {"latitude", "longitude", "city"} & set(form.changed_data):
            services.station_refresh_around(station=obj)
