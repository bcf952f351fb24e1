from celery import shared_task


@shared_task(acks_late=True)
def training_summons_send_task() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): the summons three days before a class."""
    from .services import training_summons_send

    return training_summons_send()
