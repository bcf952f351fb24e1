"""What a fault did to a run: errors while it lasted, time to recover, early
finishes, and the table (loadtest/loadkit/faults.py)."""

from loadtest.loadkit.faults import (
    FaultRow,
    errors_between,
    finished_early,
    recovery_seconds,
    table_markdown,
)

TIMELINE = [
    (100.0, "autosave", True),
    (105.0, "autosave", False),
    (106.0, "websocket", False),
    (110.0, "static", True),  # a static file is not the exam coming back
    (111.5, "websocket", True),
    (112.3, "autosave", True),
    (130.0, "submit", False),
]


def test_errors_are_counted_inside_the_window_only():
    assert errors_between(TIMELINE, 104, 112.3) == 2
    assert errors_between(TIMELINE, 0, 1000) == 3


def test_recovery_is_the_first_exam_request_that_succeeded_after_the_fault():
    assert recovery_seconds(TIMELINE, fault_end=108.0) == 4.3
    assert recovery_seconds(TIMELINE, fault_end=113.0) is None


def test_only_attempts_finished_before_the_deadline_are_wrongly_finished():
    deadline = 1000.0
    assert finished_early([990.0, 998.5, 999.9, 1000.0, 1030.0], deadline) == 1


def test_the_table_has_a_row_per_fault_and_dashes_for_what_was_not_measured():
    row = FaultRow(
        fault="4. Redis stopped | 60 s",
        requests=10,
        errors_total=2,
        errors_during=2,
        recovery_s=None,
        answers_checked=5,
        answers_lost=0,
        submits_checked=3,
        submits_lost=1,
        finished_early=0,
        unfinished_overdue=None,
        duplicate_certificates=0,
    )
    table = table_markdown([row]).splitlines()
    assert len(table) == 3
    assert table[0].startswith("| fault | requests |")
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    assert cells[0] == "4. Redis stopped / 60 s"
    assert cells[4] == "—" and cells[8] == "1"
    assert row.lost == 1
