from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


def _media_deleted(sender, instance, **kwargs) -> None:
    from .services import media_files_remove

    media_id, files = instance.pk, [instance.original, instance.captions]
    transaction.on_commit(lambda: media_files_remove(media_id=media_id, files=files))


def _package_deleted(sender, instance, **kwargs) -> None:
    from .package_services import package_files_remove

    package_uuid, archive = instance.uuid, instance.archive
    transaction.on_commit(
        lambda: package_files_remove(package_uuid=package_uuid, archive=archive)
    )


def _translators_group(sender, **kwargs) -> None:
    from .translators import translators_group_ensure

    translators_group_ensure()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Khóa học")

    def ready(self) -> None:
        post_delete.connect(
            _media_deleted, sender=self.get_model("LessonMedia"), dispatch_uid="media"
        )
        post_delete.connect(
            _package_deleted,
            sender=self.get_model("ContentPackage"),
            dispatch_uid="content_package",
        )
        from .page_cache import connect_signals

        connect_signals()
        post_migrate.connect(
            _translators_group, sender=self, dispatch_uid="translators_group"
        )
