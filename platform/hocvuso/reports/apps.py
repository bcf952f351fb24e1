from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hocvuso.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from . import signals

        signals.connect()
