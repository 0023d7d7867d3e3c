from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "anju.deals"
    label = "deals"
    verbose_name = "交易"
