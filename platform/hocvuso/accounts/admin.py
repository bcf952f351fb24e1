from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Consent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "phone", "learner_type", "is_staff")
    search_fields = ("username", "full_name", "phone")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Bình dân học vụ số",
            {
                "fields": (
                    "phone",
                    "phone_verified",
                    "full_name",
                    "birth_year",
                    "unit",
                    "learner_type",
                )
            },
        ),
    )
    raw_id_fields = ("unit",)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "notice", "accepted_at")
    raw_id_fields = ("user",)
