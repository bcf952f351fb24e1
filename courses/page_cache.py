"""A generation token for everything cached about the page tree.

Routing, sites and view restrictions change only when an editor saves,
publishes, moves or deletes a page, or edits a site or a restriction. Each of
those replaces the token, so every value kept under an older one is read anew
in every worker (the cache is shared: Redis in production).
"""

from contextlib import suppress
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.crypto import get_random_string

GENERATION_KEY = "pages:generation"
TIMEOUT = 60 * 60


# The generation read once per request: a page state reads its page, course,
# outline and site, each kept under it. Outside a request (a Celery task) it
# is not kept: "" means in a request, nothing read yet; None, no request.
_REQUEST_GENERATION: ContextVar[str | None] = ContextVar(
    "pages_request_generation", default=None
)


def _request_started(**_kwargs) -> None:
    _REQUEST_GENERATION.set("")


def _request_finished(**_kwargs) -> None:
    _REQUEST_GENERATION.set(None)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, get_random_string(12), None)
    if _REQUEST_GENERATION.get() is not None:
        _REQUEST_GENERATION.set("")


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


# Values also kept in this process (cached(..., in_process=True)), each with
# the generation it was read under. Bounded: a national tree has a few
# thousand pages; beyond the bound the whole set is read anew.
_IN_PROCESS: dict[str, tuple[str, object]] = {}
_IN_PROCESS_MAX = 4096


def request_generation_keep(generation: str | None) -> None:
    """The generation, read by the caller in this request along with
    something else (the session, hocvuso.core.sessions): kept as if
    _request_generation had read it. Outside a request, or once the request
    has its own, nothing changes."""
    if generation and _REQUEST_GENERATION.get() == "":
        _REQUEST_GENERATION.set(generation)


def _request_generation() -> str:
    kept = _REQUEST_GENERATION.get()
    if kept:
        return kept
    generation = cache.get(GENERATION_KEY) or pages_generation()
    if kept is not None:
        _REQUEST_GENERATION.set(generation)
    return generation


def cached(name: str, compute, *, in_process: bool = False):
    """compute(), kept until the generation changes: one cache round trip
    reads both the current generation and the kept value with its own. With
    the cache down the page is still served, from the database as before.

    in_process: for what every page state reads (the page, its course and
    outline), whose unpickling cost more than the rest of the request; the
    round trip then reads the generation only. Threads share the value: the
    caller must not change it."""
    key = f"pages:{name}"
    if in_process:
        try:
            generation = _request_generation()
        except Exception:  # any cache failure: do without it
            return compute()
        here = _IN_PROCESS.get(key)
        if here is not None and here[0] == generation:
            return here[1]
    try:
        got = cache.get_many([GENERATION_KEY, key])
        generation = got.get(GENERATION_KEY) or pages_generation()
    except Exception:  # any cache failure: do without it
        return compute()
    kept = got.get(key)
    if kept is not None and kept[0] == generation:
        value = kept[1]
    else:
        value = compute()
        with suppress(Exception):
            cache.set(key, (generation, value), TIMEOUT)
    if in_process:
        if len(_IN_PROCESS) >= _IN_PROCESS_MAX:
            _IN_PROCESS.clear()
        _IN_PROCESS[key] = (generation, value)
    return value


def live_page(page_id: int):
    """The live page with this id, as its own class, or None; kept in the
    process while the page tree is unchanged (every page state and every
    "Hoàn thành bài học" reads one). Shared between threads: do not change it."""
    from wagtail.models import Page

    return cached(
        f"page:{page_id}",
        lambda: Page.objects.live().filter(pk=page_id).specific().first(),
        in_process=True,
    )


def connect_signals() -> None:
    """Per model, not for every sender: a receiver for all models would turn
    Django's fast bulk deletes (of progress rows, say) into row-by-row ones."""
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import LessonMedia, PageTranslation

    # A media's versions decide what a lesson plays in each language
    # (media_versions); the end of a transcoding renews it too.
    watched = [Site, PageViewRestriction, PageTranslation, LessonMedia] + [
        model for model in apps.get_models() if issubclass(model, Page)
    ]
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                pages_changed, sender=model, dispatch_uid=f"pages_changed_{model}"
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(pages_changed, dispatch_uid="pages_changed_event")
    request_started.connect(_request_started, dispatch_uid="pages_request_started")
    request_finished.connect(_request_finished, dispatch_uid="pages_request_finished")
