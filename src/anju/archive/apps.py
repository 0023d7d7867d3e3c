from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "anju.archive"
    label = "archive"
    verbose_name = "资料归档"
