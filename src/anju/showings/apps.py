from django.apps import AppConfig


class ShowingsConfig(AppConfig):
    name = "anju.showings"
    label = "showings"
    verbose_name = "带看"

    def ready(self) -> None:
        from anju.showings import workbench

        workbench.register()
