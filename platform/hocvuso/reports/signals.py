"""Changes the services do not make, that the maintained figures must follow
(issue 23): an account deleted outright (the Django admin, a shell, a
cascade), a team deleted in the CMS (its memberships and assignments go
with it), and a programme's course list published from the CMS (Wagtail
writes `ProgrammeCourse` rows itself). Before, only the nightly check
found them."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete

from courses.models import ProgrammeCourse
from hocvuso.orgunits.models import Team, TeamMembership

from . import maintained, refresh_jobs


def _user_deleted(sender, instance, **kwargs) -> None:
    # Before the delete, in its transaction: the facts are still there to
    # subtract.
    maintained.learners_forget(user_ids=[instance.pk])


def _team_deleting(sender, instance, **kwargs) -> None:
    instance._report_members = list(
        TeamMembership.objects.filter(team_id=instance.pk).values_list(
            "user_id", flat=True
        )
    )


def _team_deleted(sender, instance, **kwargs) -> None:
    # After the cascade (memberships and assignments are gone), in the
    # delete's transaction. A team is small: refreshed at once.
    members = getattr(instance, "_report_members", [])
    if members:
        refresh_jobs.learners_refresh_locked(members)


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
    pre_delete.connect(_team_deleting, sender=Team, dispatch_uid="reports-team")
    post_delete.connect(_team_deleted, sender=Team, dispatch_uid="reports-team")
    post_save.connect(
        _programme_course_saved, sender=ProgrammeCourse, dispatch_uid="reports-pc+"
    )
    post_delete.connect(
        _programme_course_deleted, sender=ProgrammeCourse, dispatch_uid="reports-pc-"
    )
