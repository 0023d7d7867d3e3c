from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "anju.matching"
    label = "matching"
    verbose_name = "匹配"

    def ready(self) -> None:
        from anju.matching import (
            listeners,  # noqa: F401  (registers them: decision 0010)
            workbench,
        )

        workbench.register()
