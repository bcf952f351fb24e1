from celery import shared_task


@shared_task(acks_late=True)
def media_transcode_task(media_id: int) -> str | None:
    """Transcode one media; safe to run twice (a ready media is left alone)."""
    from .services import media_transcode

    media = media_transcode(media_id=media_id)
    return media.status if media else None
