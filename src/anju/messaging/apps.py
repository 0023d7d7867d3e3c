from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "anju.messaging"
    label = "messaging"
    verbose_name = "消息发件箱"

    def ready(self) -> None:
        from anju.messaging import channels, personal_data, timeline, workbench  # noqa: F401 - the adapters and timeline entries

        workbench.register()
        personal_data.register()
