"""A generation token for everything cached about the page tree.

Routing, sites and view restrictions change only when an editor saves,
publishes, moves or deletes a page, or edits a site or a restriction. Each of
those replaces the token, so every cache key built from it is dropped at once
in every worker (the cache is shared: Redis in production).
"""

from contextlib import suppress

from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import get_random_string

GENERATION_KEY = "pages:generation"
TIMEOUT = 60 * 60


def pages_changed(**_kwargs) -> None:
    cache.set(GENERATION_KEY, get_random_string(12), None)


def pages_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, get_random_string(12), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached(name: str, compute):
    """compute(), kept under the current generation. With the cache down the
    page is still served, from the database as before."""
    try:
        key = f"pages:{name}:{pages_generation()}"
        hit = cache.get(key)
    except Exception:  # any cache failure: do without it
        return compute()
    if hit is not None:
        return hit[0]
    value = compute()
    with suppress(Exception):
        cache.set(key, (value,), TIMEOUT)  # a tuple, so None is kept too
    return value


def connect_signals() -> None:
    """Per model, not for every sender: a receiver for all models would turn
    Django's fast bulk deletes (of progress rows, say) into row-by-row ones."""
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    watched = [Site, PageViewRestriction] + [
        model for model in apps.get_models() if issubclass(model, Page)
    ]
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed, sender=model, dispatch_uid=f"pages_changed_{model}"
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(pages_changed, dispatch_uid="pages_changed_event")
