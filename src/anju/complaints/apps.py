from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "anju.complaints"
    label = "complaints"
    verbose_name = "投诉处理"

    def ready(self) -> None:
        from anju.complaints import personal_data, workbench

        workbench.register()
        personal_data.register()
