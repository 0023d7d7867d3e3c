from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "anju.messaging"
    label = "messaging"
    verbose_name = "消息发件箱"

    def ready(self) -> None:
        from anju.messaging import channels, timeline  # noqa: F401 - register the adapters and timeline entries
