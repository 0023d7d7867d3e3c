from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "anju.deals"
    label = "deals"
    verbose_name = "交易"

    def ready(self) -> None:
        from anju.deals import personal_data, workbench

        workbench.register()
        personal_data.register()
