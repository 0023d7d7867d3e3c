from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "anju.matching"
    label = "matching"
    verbose_name = "匹配"

    def ready(self) -> None:
        from anju.core.metrics import metrics_gauge
        from anju.matching import (
            listeners,  # noqa: F401  (registers them: decision 0010)
            workbench,
        )
        from anju.matching.search import resident

        workbench.register()
        metrics_gauge(
            "anju_match_resident_copies",
            "Companies whose match layout the answering process holds in memory (decision 0009)",
            lambda: float(resident.copies_held()),
        )
