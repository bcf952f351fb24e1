from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    name = "hocvuso.lti"
    label = "lti"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Kết nối LTI với hệ thống quản lý học tập")
