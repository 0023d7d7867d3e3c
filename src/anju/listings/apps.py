from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "anju.listings"
    label = "listings"
    verbose_name = "房源"

    def ready(self) -> None:
        from anju.listings import (
            listeners,  # noqa: F401  (registers them: decision 0010)
            personal_data,
            workbench,
        )

        workbench.register()
        personal_data.register()
