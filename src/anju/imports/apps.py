from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "anju.imports"
    label = "imports"
    verbose_name = "导入与导出"
