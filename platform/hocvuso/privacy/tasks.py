from celery import shared_task


@shared_task(acks_late=True)
def data_request_reminders_send_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): reminders before a request's deadline."""
    from .services import data_request_reminders_send

    return data_request_reminders_send()
