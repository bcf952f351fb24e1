"""loadtest/ratio's figures: views/s count only views answered 200, and each
flow's ratio is its views/s over the bare Django view's (issue 17's targets:
a logged-in lesson view at 0.6× at least, an anonymous lesson at 1.0×)."""

from loadtest.loadkit.ratio import FLOW_NAMES, flow_row, markdown, with_ratios
from loadtest.loadkit.summary import ClassStats


def _stats(times, failed=0) -> dict:
    stats = ClassStats()
    for n, ms in enumerate(times):
        stats.add(ms, n < failed)
    return stats.to_json()


def _run(classes: dict, views: dict, *, seconds=10.0, stack=5.0, machine=16.0):
    return {
        "seconds": seconds,
        "classes": classes,
        "views": views,
        "generator_cpu_percent": 50.0,
        "stack_cpu_seconds": stack,
        "machine_cpu_seconds": machine,
    }


def _rows():
    bare = flow_row(
        flow="bare",
        run=_run({"bare": _stats([10.0] * 6000)}, _stats([10.0] * 6000)),
    )
    # A logged-in view is two requests: page and personal state.
    lesson = flow_row(
        flow="lesson-logged-in",
        run=_run(
            {"page": _stats([40.0] * 3000), "state": _stats([5.0] * 3000)},
            _stats([45.0] * 3000),
        ),
    )
    # Today a lesson redirects an anonymous reader to the login page.
    anon = flow_row(
        flow="anon-lesson",
        run=_run(
            {"page": _stats([3.0] * 9000, failed=9000)},
            _stats([3.0] * 9000, failed=9000),
        ),
    )
    return with_ratios([bare, anon, lesson])


def test_a_logged_in_view_counts_once_for_its_two_requests():
    _bare, _anon, lesson = _rows()
    assert lesson["requests_per_s"] == 600.0
    assert lesson["views_per_s"] == 300.0
    assert lesson["ratio_to_bare"] == 0.5
    assert lesson["meets_target"] is False  # 0.5× < 0.6×
    assert lesson["p50_ms"] == 45


def test_redirects_are_answered_but_are_no_views():
    _bare, anon, _lesson = _rows()
    assert anon["requests_per_s"] == 900.0
    assert anon["views_per_s"] == 0.0
    assert anon["errors"] == 9000 and anon["error_percent"] == 100.0
    assert anon["ratio_to_bare"] == 0.0 and anon["meets_target"] is False


def test_cpu_left_to_other_processes_shows_a_disturbed_run():
    bare, _anon, _lesson = _rows()
    # 16 CPU-s busy: 5 the stack's, 5 Locust's (50% of 10 s), 6 someone else's.
    assert bare["other_cpu_seconds"] == 6.0
    assert bare["stack_cpu_ms_per_view"] == round(5000 / 6000, 2)


def test_without_the_bare_flow_there_is_no_ratio():
    _bare, anon, lesson = _rows()
    assert all(r["ratio_to_bare"] is None for r in with_ratios([anon, lesson]))


def test_the_table_has_a_row_per_flow_with_its_verdict():
    head = {
        "command": "loadtest/ratio --users 50",
        "date": "2026-12-06 12:00 UTC",
        "commit": "abc1234",
        "machine": "2 cores",
        "users": 50,
        "warmup": 10,
        "duration": 60,
        "wsgi_workers": 4,
        "wsgi_threads": 8,
    }
    text = markdown(head, _rows())
    assert "| bare | 600.0 | 600.0 | 10 | 10 | 0 (0.0%) | 1.0× |" in text
    assert "| lesson-logged-in | 600.0 | 300.0 |" in text
    assert "0.5× (FAIL: ≥ 0.6×)" in text
    assert "`loadtest/ratio --users 50`" in text and "`abc1234`" in text
    assert FLOW_NAMES[0] == "bare"  # the others are measured against it
