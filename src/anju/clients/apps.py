from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "anju.clients"
    label = "clients"
    verbose_name = "客户"

    def ready(self) -> None:
        from anju.clients import listeners  # noqa: F401  (registers them: decision 0010)
