from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "anju.needs"
    label = "needs"
    verbose_name = "需求"

    def ready(self) -> None:
        # The needs' entries join the client's timeline (clients reads no app above it).
        from anju.needs import listeners, personal_data, timeline  # noqa: F401  (listeners: decision 0010)

        personal_data.register()
