from celery import shared_task


@shared_task
def outbox_drain_task() -> int:
    from .services import outbox_drain

    return outbox_drain().sent
