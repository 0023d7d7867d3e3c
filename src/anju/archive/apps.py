from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "anju.archive"
    label = "archive"
    verbose_name = "资料归档"

    def ready(self) -> None:
        from anju.archive import personal_data

        personal_data.register()
