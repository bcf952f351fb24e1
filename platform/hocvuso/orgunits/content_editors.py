"""The content-editor role (AdminRole "content_editor") opens the CMS for
writing courses, lessons, questions, images and documents: holders are kept
in one Wagtail group whose rights are set here, in code, not by hand."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from .models import AdminRole, AdminRoleKind

CONTENT_EDITORS_GROUP = "Biên tập nội dung"
MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("quizzes", "add_question"),
    ("quizzes", "change_question"),
    ("quizzes", "delete_question"),
    ("quizzes", "view_question"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
COLLECTION_APPS = {"wagtailimages", "wagtaildocs"}


def _collection_permissions(group: Group) -> None:
    """Wagtail checks images and documents per collection, not by the model
    permission: the group gets them on the root collection, which holds the
    others. Idempotent, so a group made before this rule gets them too."""
    root = Collection.get_first_root_node()
    for app_label, codename in MODEL_PERMISSIONS:
        if app_label in COLLECTION_APPS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


def _content_editors_group() -> Group:
    group, created = Group.objects.get_or_create(name=CONTENT_EDITORS_GROUP)
    _collection_permissions(group)
    if created:
        for app_label, codename in MODEL_PERMISSIONS:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        root = Page.get_first_root_node()
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    return group


@transaction.atomic
def content_editor_access_sync(*, user) -> None:
    """In the group exactly while the user holds the content-editor role."""
    group = _content_editors_group()
    if AdminRole.objects.filter(user=user, role=AdminRoleKind.CONTENT_EDITOR).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


def admin_role_changed(sender, instance: AdminRole, **kwargs) -> None:
    """Signal receiver for AdminRole saves and deletes."""
    if instance.role == AdminRoleKind.CONTENT_EDITOR:
        content_editor_access_sync(user=instance.user)
