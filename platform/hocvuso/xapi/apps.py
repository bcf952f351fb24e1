from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "hocvuso.xapi"
    label = "xapi"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Dữ liệu học tập xAPI")

    def ready(self):
        from courses.page_cache import pages_changed

        from .models import LrsSettings

        # Which sites send statements is cached under the page-tree
        # generation (selectors.routes_get): an edit must replace it.
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed, sender=LrsSettings, dispatch_uid=f"xapi_lrs_{signal}"
            )
