from celery import shared_task


@shared_task(acks_late=True)
def assignment_reminders_send_task() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): reminders before assignment due dates."""
    from .services import assignment_reminders_send

    return assignment_reminders_send()
