from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "anju.referrals"
    label = "referrals"
    verbose_name = "转介绍"

    def ready(self) -> None:
        from anju.referrals import listeners, personal_data, workbench

        assert listeners  # noqa: S101 - imported for its registrations
        workbench.register()
        personal_data.register()
