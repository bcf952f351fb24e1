from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import extra_time


@hooks.register("register_admin_urls")
def orgunit_admin_urls():
    return [path("cong-gio/", extra_time.extra_time, name="extra_time")]


@hooks.register("register_admin_menu_item")
def extra_time_menu_item():
    return MenuItem(
        _("Cộng giờ làm bài"), reverse("extra_time"), icon_name="time", order=320
    )
