from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "anju.care"
    label = "care"
    verbose_name = "客户维护"

    def ready(self) -> None:
        from anju.care import listeners, personal_data, workbench

        assert listeners  # noqa: S101 - imported for its registrations
        workbench.register()
        personal_data.register()
