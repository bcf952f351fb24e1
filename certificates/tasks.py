from celery import shared_task

# acks_late + reject_on_worker_lost: a worker killed mid-render leaves its
# message unacknowledged, so the broker delivers it again; the service is
# idempotent, so a second delivery still ends with one certificate.
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RELIABLE)
def certificate_issue_task(
    course_completion_id: int | None = None, programme_completion_id: int | None = None
) -> int | None:
    from .services import certificate_issue

    certificate = certificate_issue(
        course_completion_id=course_completion_id,
        programme_completion_id=programme_completion_id,
    )
    return certificate.pk if certificate else None


@shared_task(**RELIABLE)
def certificate_render_task(certificate_id: int) -> None:
    from .models import Certificate
    from .services import certificate_render

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        certificate_render(certificate=certificate)


@shared_task(**RELIABLE)
def certificates_regenerate_task(job_id: int) -> None:
    from .services import certificates_regenerate

    certificates_regenerate(job_id=job_id)


@shared_task
def certificates_missing_issue_task() -> int:
    from .services import certificates_missing_issue

    return certificates_missing_issue()
