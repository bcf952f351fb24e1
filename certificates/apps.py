from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


# robust: the learner's attempt is committed by then; a broker that is down
# must not turn their submit into an error. The certificate then comes from
# the periodic certificates_missing_issue_task.
def _course_completed(sender, completion, **kwargs) -> None:
    from .tasks import certificate_issue_task

    transaction.on_commit(
        lambda: certificate_issue_task.delay(course_completion_id=completion.pk),
        robust=True,
    )


def _programme_completed(sender, completion, **kwargs) -> None:
    from .tasks import certificate_issue_task

    transaction.on_commit(
        lambda: certificate_issue_task.delay(programme_completion_id=completion.pk),
        robust=True,
    )


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Chứng nhận")

    def ready(self) -> None:
        from courses.signals import course_completed, programme_completed

        course_completed.connect(_course_completed, dispatch_uid="certificate-issue")
        programme_completed.connect(
            _programme_completed, dispatch_uid="certificate-issue-programme"
        )
