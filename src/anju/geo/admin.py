from django.contrib import admin

from anju.geo.models import BusinessArea, City, Community, District


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


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "business_area", "build_year", "reference_price", "company"]
    list_filter = ["company", "district"]
    search_fields = ["name", "pinyin_initials"]
    raw_id_fields = ["business_area", "district"]
