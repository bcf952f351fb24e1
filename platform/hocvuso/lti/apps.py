from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    name = "hocvuso.lti"
    label = "lti"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Kết nối LTI với hệ thống quản lý học tập")

    def ready(self):
        from courses.page_cache import pages_changed

        from .models import LtiPlatform

        # Whether any platform is switched on is cached under the page-tree
        # generation (services.grades_possible): an edit must replace it.
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed, sender=LtiPlatform, dispatch_uid=f"lti_platform_{signal}"
            )
