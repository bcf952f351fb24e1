from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def certificate_admin_urls():
    return [
        path("chung-nhan/", admin_views.certificate_list, name="certificates_admin"),
        path(
            "chung-nhan/<int:pk>/",
            admin_views.certificate_detail,
            name="certificates_admin_detail",
        ),
        path(
            "chung-nhan/tao-lai/",
            admin_views.regenerate_start,
            name="certificates_admin_regenerate_start",
        ),
        path(
            "chung-nhan/tao-lai/<int:pk>/",
            admin_views.regenerate_progress,
            name="certificates_admin_regenerate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def certificate_menu_item():
    return MenuItem(
        _("Chứng nhận"), reverse("certificates_admin"), icon_name="doc-full", order=320
    )
