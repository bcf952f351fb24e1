from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "hocvuso.campaigns"
    label = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Chiến dịch và bảng thi đua"
