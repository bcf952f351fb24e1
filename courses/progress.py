"""Pure rules of progress through a course: no Django, no queries."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

L = TypeVar("L")


@dataclass(frozen=True)
class LessonState(Generic[L]):
    lesson: L
    number: int
    done: bool
    locked: bool


def lesson_states(
    lessons: Sequence[L],
    *,
    done: set[int],
    in_order: bool,
    key=lambda lesson: lesson.pk,
) -> list[LessonState[L]]:
    """Mark each lesson done or locked.

    With `in_order`, a lesson opens once every lesson before it is done; the
    first lesson is always open.
    """
    states = []
    blocked = False
    for number, lesson in enumerate(lessons, start=1):
        is_done = key(lesson) in done
        states.append(
            LessonState(
                lesson=lesson,
                number=number,
                done=is_done,
                locked=in_order and blocked and not is_done,
            )
        )
        if not is_done:
            blocked = True
    return states


def next_lesson(states: Sequence[LessonState[L]]) -> L | None:
    """The first lesson not done yet, or None when all are done."""
    for state in states:
        if not state.done:
            return state.lesson
    return None


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0
