"""The translators' group: into the CMS and to its "Bản dịch" screens, nothing
else. A superuser adds translators to it; its rights are set here, in code."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

TRANSLATORS_GROUP = "Người dịch"
TRANSLATE_PERMISSION = "courses.translate_content"


def _permission(*, app_label: str, model: str, codename: str, name: str):
    content_type, _created = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def translators_group_ensure() -> Group:
    """Idempotent. Run after every migrate (and every test database flush),
    so that the group is there before anyone is added to it."""
    group, _created = Group.objects.get_or_create(name=TRANSLATORS_GROUP)
    group.permissions.add(
        _permission(
            app_label="courses",
            model="pagetranslation",
            codename="translate_content",
            name="Dịch nội dung khóa học",
        ),
        # Made by post_migrate for wagtailadmin too, which may come later.
        _permission(
            app_label="wagtailadmin",
            model="admin",
            codename="access_admin",
            name="Can access Wagtail admin",
        ),
    )
    return group
