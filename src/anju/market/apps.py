from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "anju.market"
    label = "market"
    verbose_name = "市场行情"
