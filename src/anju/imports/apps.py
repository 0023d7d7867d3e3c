from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "anju.imports"
    label = "imports"
    verbose_name = "导入与导出"

    def ready(self) -> None:
        from anju.imports import personal_data  # noqa: F401 - its eraser listens (decision 0024)
