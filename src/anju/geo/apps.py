from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "anju.geo"
    label = "geo"
    verbose_name = "楼盘字典"
