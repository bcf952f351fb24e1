"""Changes the services do not make, that the maintained figures must follow
(issue 23): an account deleted outright (the Django admin, a shell, a
cascade), and a programme's course list published from the CMS (Wagtail
writes `ProgrammeCourse` rows itself). Before, only the nightly check
found them."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete

from courses.models import ProgrammeCourse

from . import maintained, refresh_jobs


def _user_deleted(sender, instance, **kwargs) -> None:
    # Before the delete, in its transaction: the facts are still there to
    # subtract.
    maintained.learners_forget(user_ids=[instance.pk])


def _programme_course_saved(sender, instance, created, raw=False, **kwargs) -> None:
    # A course kept in the list is saved again (its order): nothing changes.
    if created and not raw:
        refresh_jobs.programme_courses_changed(
            programme_id=instance.programme_id, course_id=instance.course_id
        )


def _programme_course_deleted(sender, instance, **kwargs) -> None:
    refresh_jobs.programme_courses_changed(
        programme_id=instance.programme_id, course_id=instance.course_id
    )


def connect() -> None:
    pre_delete.connect(
        _user_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="reports-user"
    )
    post_save.connect(
        _programme_course_saved, sender=ProgrammeCourse, dispatch_uid="reports-pc+"
    )
    post_delete.connect(
        _programme_course_deleted, sender=ProgrammeCourse, dispatch_uid="reports-pc-"
    )
