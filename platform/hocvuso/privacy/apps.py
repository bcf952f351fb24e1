from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "hocvuso.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Dữ liệu cá nhân"
