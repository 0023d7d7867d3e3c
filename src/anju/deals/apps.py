from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "anju.deals"
    label = "deals"
    verbose_name = "交易"

    def ready(self) -> None:
        from anju.deals import workbench

        workbench.register()
