from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "anju.org"
    label = "org"
    verbose_name = "组织"

    def ready(self) -> None:
        from anju.org import signals, workbench  # noqa: F401

        workbench.register()
