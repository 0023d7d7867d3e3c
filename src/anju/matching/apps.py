from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "anju.matching"
    label = "matching"
    verbose_name = "匹配"

    def ready(self) -> None:
        from anju.matching import workbench

        workbench.register()
