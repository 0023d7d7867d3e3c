from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "anju.outreach"
    label = "outreach"
    verbose_name = "客户维护：问候、推送与合作商"

    def ready(self) -> None:
        from anju.outreach import listeners, personal_data, workbench

        assert listeners  # noqa: S101 - imported for its registrations
        workbench.register()
        personal_data.register()
