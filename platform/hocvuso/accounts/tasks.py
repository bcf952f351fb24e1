from celery import shared_task

from .sms import SmsError, SmsMessage, sms_backend_get


@shared_task(autoretry_for=(SmsError,), retry_backoff=5, max_retries=3)
def sms_send_task(to: str, text: str) -> None:
    sms_backend_get().send(SmsMessage(to=to, text=text))


@shared_task(acks_late=True)
def import_job_run_task(job_id: int) -> None:
    from .models import ImportJob
    from .services import import_job_run

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        import_job_run(job=job)


@shared_task
def import_jobs_expire_task() -> None:
    from django.utils import timezone

    from .services import import_jobs_expire

    import_jobs_expire(now=timezone.now())
