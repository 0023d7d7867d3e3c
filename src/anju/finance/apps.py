from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "anju.finance"
    label = "finance"
    verbose_name = "税费与房贷"
