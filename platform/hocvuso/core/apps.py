from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hocvuso.core"
    label = "core"
    verbose_name = _("Trang chung")

    def ready(self) -> None:
        from .wagtail_fixes import wagtail_fixes_apply

        wagtail_fixes_apply()
