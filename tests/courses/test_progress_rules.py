from dataclasses import dataclass

from courses.progress import lesson_states, next_lesson, percent


@dataclass(frozen=True)
class L:
    pk: int


LESSONS = [L(1), L(2), L(3), L(4)]


def test_in_order_course_opens_only_the_first_unfinished_lesson():
    states = lesson_states(LESSONS, done={1}, in_order=True)
    assert [(s.number, s.done, s.locked) for s in states] == [
        (1, True, False),
        (2, False, False),
        (3, False, True),
        (4, False, True),
    ]
    assert next_lesson(states) == L(2)


def test_free_order_course_locks_nothing():
    states = lesson_states(LESSONS, done={3}, in_order=False)
    assert not any(s.locked for s in states)
    assert next_lesson(states) == L(1)


def test_a_lesson_done_out_of_order_stays_open_and_done():
    # An editor may switch a course to "in order" after learners skipped ahead.
    states = lesson_states(LESSONS, done={1, 3}, in_order=True)
    assert [(s.done, s.locked) for s in states] == [
        (True, False),
        (False, False),
        (True, False),
        (False, True),
    ]


def test_all_done_means_no_next_lesson():
    states = lesson_states(LESSONS, done={1, 2, 3, 4}, in_order=True)
    assert next_lesson(states) is None


def test_percent_rounds_and_survives_empty_courses():
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(0, 0) == 0
