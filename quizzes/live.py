"""The published test every taker reads, kept in each process."""

from courses.page_cache import cached

from .models import QuizPage


def quiz_live_get(*, quiz_id: int) -> QuizPage | None:
    """A published test, kept in the process under the page-tree generation
    (every edit, publish or move replaces it): thousands start and submit the
    same test at once, and unpickling a page costs more than the rest of a
    submit's reading. Threads share it: a caller must not change it."""
    return cached(
        f"quiz:{quiz_id}",
        lambda: QuizPage.objects.live().filter(pk=quiz_id).first(),
        in_process=True,
    )
