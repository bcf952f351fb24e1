"""Pure rules of completion: no Django, no queries (DESIGN §3).

A course is complete when its configured conditions hold: every required
lesson done (every required video or audio of those lessons 90% watched, every
required content package reported completed or passed)
and, where the course has a final test that counts, that test passed. A
course with nothing to do (no required lesson counted, no test counted) is
never complete: there would be nothing to confirm."""

from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class CompletionRule:
    requires_lessons: bool = True
    requires_test: bool = True


@dataclass(frozen=True)
class CompletionFacts:
    required_lessons: frozenset[int]
    done_lessons: frozenset[int]
    # Required media of required lessons the learner has not watched 90% of.
    unwatched_media: frozenset[int] = frozenset()
    # Required content packages of required lessons not completed or passed.
    unfinished_packages: frozenset[int] = frozenset()
    has_test: bool = False
    test_passed: bool = False


def course_is_complete(rule: CompletionRule, facts: CompletionFacts) -> bool:
    counts_lessons = rule.requires_lessons and bool(facts.required_lessons)
    counts_test = rule.requires_test and facts.has_test
    if not (counts_lessons or counts_test):
        return False
    if counts_lessons and (
        not facts.required_lessons <= facts.done_lessons
        or facts.unwatched_media
        or facts.unfinished_packages
    ):
        return False
    return not (counts_test and not facts.test_passed)


def programme_is_complete(
    *, course_ids: Collection[int], completed_ids: Collection[int]
) -> bool:
    """Every course of the programme completed; an empty programme never is."""
    return bool(course_ids) and set(course_ids) <= set(completed_ids)
