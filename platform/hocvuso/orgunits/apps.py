from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "hocvuso.orgunits"
    label = "orgunits"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        from .content_editors import admin_role_changed
        from .header_links import role_changed
        from .models import AdminRole, TeamMembership

        post_save.connect(
            admin_role_changed, sender=AdminRole, dispatch_uid="role-save"
        )
        post_delete.connect(
            admin_role_changed, sender=AdminRole, dispatch_uid="role-del"
        )
        for model in (AdminRole, TeamMembership):
            post_save.connect(
                role_changed, sender=model, dispatch_uid=f"header-save-{model.__name__}"
            )
            post_delete.connect(
                role_changed, sender=model, dispatch_uid=f"header-del-{model.__name__}"
            )
