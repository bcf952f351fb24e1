"""Telling whoever keeps figures about learners that a learner's learning
rows changed, inside the transaction that changed them.

The platform's reports keep per-learner facts and per-unit counters up to
date as learning happens (issue 23). `courses` and `quizzes` must not import
the platform (DESIGN §2: dependencies point one way), so, as with
`COURSES_DUE_DATES`, a setting names the function to call:

- `COURSES_LEARNERS_CHANGED(*, user_ids)`: enrolment, attempt started or
  finished, completion;
- `COURSES_LESSON_OPENED(*, user_id, course_id, at)`: the first opening of a
  lesson (cheap when the learner already takes part);
- `COURSES_LEARNING_RECORDED(*, record)`: a learning record others may want
  to hear of (enrolled, lesson completed, test attempted, course or
  programme completed, certificate earned; a `LearningRecord`): the
  platform's xAPI outbox (hocvuso/xapi) writes its statement here, and the
  LTI tool (hocvuso/lti) the score owed to a school's LMS; this setting may
  name a list of functions.

Called synchronously, in the caller's transaction: a failure rolls the event
back with it, and the figures are exact at commit. An empty setting turns
the call off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _resolve(path: str) -> Callable[..., None] | None:
    # Keyed by the dotted path, so a test overriding the setting gets its own.
    return import_string(path) if path else None


def learners_changed(*, user_ids: Iterable[int]) -> None:
    hook = _resolve(getattr(settings, "COURSES_LEARNERS_CHANGED", ""))
    if hook is not None:
        hook(user_ids=user_ids)


def lesson_first_opened(*, user_id: int, course_id: int, at: datetime) -> None:
    hook = _resolve(getattr(settings, "COURSES_LESSON_OPENED", ""))
    if hook is not None:
        hook(user_id=user_id, course_id=course_id, at=at)


class RecordKind(StrEnum):
    ENROLLED = "enrolled"
    LESSON_COMPLETED = "lesson_completed"
    TEST_ATTEMPTED = "test_attempted"
    COURSE_COMPLETED = "course_completed"
    PROGRAMME_COMPLETED = "programme_completed"
    CERTIFICATE_EARNED = "certificate_earned"


@dataclass(frozen=True)
class AttemptScore:
    points: float
    max_points: float
    percent: float
    passed: bool


@dataclass(frozen=True)
class LearningRecord:
    """`page_id`: the course, lesson, test or programme page it is about;
    `course_id`: the course it belongs to, when that is another page."""

    kind: RecordKind
    user_id: int
    page_id: int
    at: datetime
    course_id: int | None = None
    score: AttemptScore | None = None


def learning_recorded(*, record: LearningRecord) -> None:
    # One dotted path, or a list of them (the xAPI outbox and the LTI
    # grades both hear each record), called in order.
    paths = getattr(settings, "COURSES_LEARNING_RECORDED", "")
    for path in [paths] if isinstance(paths, str) else paths:
        hook = _resolve(path)
        if hook is not None:
            hook(record=record)
