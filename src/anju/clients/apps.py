from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "anju.clients"
    label = "clients"
    verbose_name = "客户"

    def ready(self) -> None:
        from anju.clients import personal_data, workbench

        workbench.register()
        personal_data.register()
