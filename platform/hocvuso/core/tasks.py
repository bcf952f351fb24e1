from celery import shared_task


@shared_task
def shared_pages_refresh_task() -> None:
    """Replace nginx's copies of the shared pages after an edit
    (core.public_pages); running it twice costs renders, nothing else."""
    from contextlib import suppress

    from django.conf import settings
    from django.core.cache import cache

    from .public_pages import REFRESH_QUEUED_KEY, shared_pages_refresh

    # Before the pages are read: an edit from now on queues the next refresh.
    with suppress(Exception):  # the cache down: the mark expires by itself
        cache.delete(REFRESH_QUEUED_KEY)
    shared_pages_refresh(
        base_url=settings.PAGE_CACHE_REFRESH_URL,
        token=settings.PAGE_CACHE_REFRESH_TOKEN,
    )
