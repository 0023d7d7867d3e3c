from django.apps import AppConfig


class ShowingsConfig(AppConfig):
    name = "anju.showings"
    label = "showings"
    verbose_name = "带看"

    def ready(self) -> None:
        from anju.showings import personal_data, workbench

        workbench.register()
        personal_data.register()
