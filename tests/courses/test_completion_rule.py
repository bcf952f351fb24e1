"""The completion rule as plain data, over every combination of conditions."""

import itertools

import pytest

from courses.completion import (
    CompletionFacts,
    CompletionRule,
    course_is_complete,
    programme_is_complete,
)

LESSONS = frozenset({1, 2, 3})
DONE_OPTIONS = [frozenset(), frozenset({1}), frozenset({1, 2}), LESSONS, LESSONS | {9}]


def expected(rule, facts) -> bool:
    """The rule spelled out case by case, independently of the implementation."""
    lessons_ok = facts.done_lessons >= LESSONS and not facts.unwatched_media
    if rule.requires_lessons and rule.requires_test and facts.has_test:
        return lessons_ok and facts.test_passed
    if rule.requires_lessons:
        return lessons_ok
    if rule.requires_test and facts.has_test:
        return facts.test_passed
    return False


@pytest.mark.parametrize(
    "requires_lessons,requires_test,done,unwatched,has_test,passed",
    list(
        itertools.product(
            [True, False],
            [True, False],
            DONE_OPTIONS,
            [frozenset(), frozenset({7})],
            [True, False],
            [True, False],
        )
    ),
)
def test_every_combination(
    requires_lessons, requires_test, done, unwatched, has_test, passed
):
    rule = CompletionRule(
        requires_lessons=requires_lessons, requires_test=requires_test
    )
    facts = CompletionFacts(
        required_lessons=LESSONS,
        done_lessons=done,
        unwatched_media=unwatched,
        has_test=has_test,
        test_passed=passed and has_test,
    )
    assert course_is_complete(rule, facts) is expected(rule, facts)


def test_the_default_rule_needs_lessons_and_the_test():
    rule = CompletionRule()
    all_done = CompletionFacts(LESSONS, LESSONS, has_test=True, test_passed=True)
    assert course_is_complete(rule, all_done)
    assert not course_is_complete(
        rule, CompletionFacts(LESSONS, LESSONS, has_test=True, test_passed=False)
    )
    assert not course_is_complete(
        rule,
        CompletionFacts(LESSONS, frozenset({1, 2}), has_test=True, test_passed=True),
    )
    assert not course_is_complete(
        rule,
        CompletionFacts(
            LESSONS, LESSONS, frozenset({5}), has_test=True, test_passed=True
        ),
    )


def test_a_course_with_nothing_to_do_is_never_complete():
    empty = CompletionFacts(frozenset(), frozenset(), has_test=False)
    for rule in (CompletionRule(), CompletionRule(False, False)):
        assert not course_is_complete(rule, empty)
    # No required lesson, but a passed test: the test alone completes it.
    assert course_is_complete(
        CompletionRule(),
        CompletionFacts(frozenset(), frozenset(), has_test=True, test_passed=True),
    )


def test_programme_complete_only_when_every_course_is():
    assert programme_is_complete(course_ids={1, 2}, completed_ids={1, 2, 5})
    assert not programme_is_complete(course_ids={1, 2}, completed_ids={1})
    assert not programme_is_complete(course_ids=set(), completed_ids={1})
