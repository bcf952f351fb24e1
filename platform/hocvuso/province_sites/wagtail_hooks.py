from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def province_site_admin_urls():
    return [
        path(
            "trang-tinh/tao/",
            admin_views.province_site_add,
            name="province_sites_add",
        )
    ]


@hooks.register("register_settings_menu_item")
def province_site_add_menu_item():
    return SuperuserMenuItem(
        _("Tạo trang tỉnh"), reverse("province_sites_add"), icon_name="site", order=150
    )
