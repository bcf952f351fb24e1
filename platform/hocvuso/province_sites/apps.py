from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProvinceSitesConfig(AppConfig):
    name = "hocvuso.province_sites"
    label = "province_sites"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Trang của tỉnh")

    def ready(self):
        from courses.page_cache import pages_changed

        from .models import ProvinceSite

        # A site's look is cached under the page-tree generation, as the
        # site itself is: an edit of the setting must replace it too.
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed,
                sender=ProvinceSite,
                dispatch_uid=f"province_site_{signal}",
            )
