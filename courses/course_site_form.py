"""Who may say which site owns a course (course_sites.py): a superuser, any
site; a province's content editor, only their province's site, and only when
the course is created; nobody else moves a course between sites, so an
editor cannot take a shared course away from the other provinces nor reach
into another province's course."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Site


def editor_site_ids(user) -> set[int]:
    """The sites whose courses `user` edits, from the platform
    (settings.COURSES_EDITOR_SITES): courses imports no other domain app."""
    selector = getattr(settings, "COURSES_EDITOR_SITES", "")
    if not selector or user is None:
        return set()
    return set(import_string(selector)(user=user))


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("owner_site")
        user = self.for_user
        if field is None or user is None or user.is_superuser:
            return
        self._allowed = editor_site_ids(user)
        field.queryset = Site.objects.filter(pk__in=self._allowed)

    def clean_owner_site(self):
        site = self.cleaned_data.get("owner_site")
        user = self.for_user
        if user is None or user.is_superuser:
            return site
        before = self.instance.owner_site_id if self.instance.pk else None
        after = site.pk if site else None
        if after == before:
            return site
        if self.instance.pk:
            raise ValidationError(
                _("Chỉ quản trị viên hệ thống mới đổi được trang sở hữu khóa học.")
            )
        if after not in self._allowed:
            raise ValidationError(
                _("Bạn chỉ tạo được khóa học riêng cho trang của tỉnh mình.")
            )
        return site
