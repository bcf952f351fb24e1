import logging

from celery import shared_task

logger = logging.getLogger(__name__)


# acks_late + reject_on_worker_lost: a worker killed mid-export leaves the
# message unacknowledged, so the broker delivers it again; the service builds
# an unfinished job again from the start and leaves a done one alone.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_job_run_task(job_id: int) -> None:
    from .services import export_job_run

    export_job_run(job_id=job_id)


@shared_task
def export_jobs_expire_task() -> None:
    from django.utils import timezone

    from .services import export_jobs_expire

    export_jobs_expire(now=timezone.now())


@shared_task
def maintained_figures_check_task(sample: int = 20) -> int:
    """Nightly: a sample of units recomputed the current way; every
    difference logged (an error: someone must run reports_backfill)."""
    from .consistency import units_check

    differences = units_check(sample=sample)
    for difference in differences:
        logger.error("Số liệu báo cáo chênh lệch: %s", difference)
    if not differences:
        logger.info("Số liệu báo cáo duy trì khớp với %d đơn vị tính lại.", sample)
    return len(differences)


@shared_task
def counters_compact_task() -> int:
    from .maintained import counters_compact

    return counters_compact()


# acks_late + reject_on_worker_lost: a worker killed mid-job leaves the
# message to be delivered again; the job resumes after its last batch (and
# the beat sweep below finds it anyway once its lease lapses).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def refresh_job_run_task(job_id: int) -> None:
    from .refresh_jobs import refresh_job_run

    refresh_job_run(job_id=job_id)


@shared_task
def refresh_jobs_resume_task() -> int:
    from .refresh_jobs import refresh_jobs_resume

    return refresh_jobs_resume()
