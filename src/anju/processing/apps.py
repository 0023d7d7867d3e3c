from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "anju.processing"
    label = "processing"
    verbose_name = "交易办理"

    def ready(self) -> None:
        from anju.processing import listeners, personal_data, workbench

        assert listeners  # noqa: S101 - imported for its registrations
        workbench.register()
        personal_data.register()
