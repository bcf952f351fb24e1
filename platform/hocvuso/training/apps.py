from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "hocvuso.training"
    label = "training"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Lớp tập huấn"
