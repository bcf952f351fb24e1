"""A generation token for everything cached about the page tree.

Routing, sites and view restrictions change only when an editor saves,
publishes, moves or deletes a page, or edits a site or a restriction. Each of
those replaces the token, so every value kept under an older one is read anew
in every worker (the cache is shared: Redis in production).
"""

from contextlib import suppress

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import get_random_string

GENERATION_KEY = "pages:generation"
TIMEOUT = 60 * 60


def _new_generation() -> None:
    cache.set(GENERATION_KEY, get_random_string(12), None)


def pages_changed(**_kwargs) -> None:
    """Now, and again once the edit's transaction commits: a request between
    the two could otherwise keep what it read before the commit."""
    _new_generation()
    transaction.on_commit(_new_generation)


def pages_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, get_random_string(12), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached(name: str, compute):
    """compute(), kept until the generation changes: one cache round trip
    reads both the current generation and the kept value with its own. With
    the cache down the page is still served, from the database as before."""
    key = f"pages:{name}"
    try:
        got = cache.get_many([GENERATION_KEY, key])
        generation = got.get(GENERATION_KEY) or pages_generation()
    except Exception:  # any cache failure: do without it
        return compute()
    kept = got.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = compute()
    with suppress(Exception):
        cache.set(key, (generation, value), TIMEOUT)
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
