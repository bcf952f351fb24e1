from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hocvuso.core"
    label = "core"
    verbose_name = _("Trang chung")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .collation import sqlite_collation_register
        from .public_pages import connect_refresh_signals
        from .wagtail_fixes import wagtail_fixes_apply

        wagtail_fixes_apply()
        connection_created.connect(sqlite_collation_register)
        connect_refresh_signals()
