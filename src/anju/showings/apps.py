from django.apps import AppConfig


class ShowingsConfig(AppConfig):
    name = "anju.showings"
    label = "showings"
    verbose_name = "带看"
