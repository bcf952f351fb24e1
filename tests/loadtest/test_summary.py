"""The load-test summary: percentiles per endpoint class and the issue's
gates (errors under 0.1%, p95 under 500 ms for pages and 300 ms for
autosave, no lost write, load generator under 90% CPU)."""

from loadtest.loadkit.summary import (
    ClassStats,
    blocking_failures,
    bucket,
    endpoint_class,
    markdown,
    percentile,
    summarise,
)


def _stats(times_ms: list[float], failed: int = 0) -> ClassStats:
    stats = ClassStats()
    for n, ms in enumerate(times_ms):
        stats.add(ms, n < failed)
    return stats


def _summary(classes, *, lost=0, cpu=40.0, seconds=100.0):
    summary = summarise(
        classes=classes,
        seconds=seconds,
        lost=lost,
        server_cpu_seconds=50.0,
        generator_cpu_percent=cpu,
    )
    return summary


def test_request_names_group_into_endpoint_classes():
    assert endpoint_class("page:lesson") == "page"
    assert endpoint_class("hls-segment:240p") == "hls-segment"
    assert endpoint_class("autosave") == "autosave"


def test_percentiles_come_from_the_whole_class():
    # 90 fast lesson pages and 10 slow course pages: per-name percentiles
    # could not be merged; the class histogram gives the real p95.
    page = _stats([20.0] * 90 + [800.0] * 10)
    assert percentile(page.histogram, 0.50) == 20
    assert percentile(page.histogram, 0.95) == 800
    assert percentile({}, 0.95) is None
    assert bucket(1234.0) == 1200 and bucket(87.4) == 87


def test_a_healthy_run_passes_every_gate():
    summary = _summary(
        {
            "page": _stats([100.0] * 1000),
            "state": _stats([40.0] * 1000),
            "autosave": _stats([50.0] * 1500),
            "checkin": _stats([60.0] * 500),
        }
    )
    assert summary["requests"] == 4000
    assert summary["rps"] == 40.0
    assert summary["classes"]["autosave"]["p95_ms"] == 50
    assert summary["server_cpu_s_per_1000_requests"] == 12.5
    assert all(summary["gates"].values())
    assert blocking_failures(summary) == []


def test_errors_at_one_in_a_thousand_fail_the_run():
    ok = _summary({"page": _stats([100.0] * 1001, failed=1)})
    assert ok["gates"]["errors"] is True  # 0.0999%
    failing = _summary({"page": _stats([100.0] * 1000, failed=1)})
    assert failing["error_percent"] == 0.1
    assert failing["gates"]["errors"] is False
    assert blocking_failures(failing) == ["errors"]


def test_a_lost_write_fails_the_run():
    summary = _summary({"autosave": _stats([10.0] * 10)}, lost=1)
    assert blocking_failures(summary) == ["lost_writes"]


def test_latency_and_generator_gates_are_reported_but_do_not_block():
    summary = _summary(
        {"page": _stats([600.0] * 100), "autosave": _stats([310.0] * 100)},
        cpu=95.0,
    )
    gates = summary["gates"]
    assert gates["page_p95"] is False
    assert gates["autosave_p95"] is False
    assert gates["generator_cpu"] is False
    assert blocking_failures(summary) == []


def test_a_run_without_autosaves_has_no_autosave_verdict():
    summary = _summary({"page": _stats([100.0] * 10)})
    assert summary["gates"]["autosave_p95"] is None


def test_a_run_without_requests_fails():
    summary = _summary({})
    assert summary["gates"]["errors"] is False


def test_markdown_lists_classes_and_verdicts():
    summary = _summary({"page": _stats([600.0] * 100)})
    summary.update(
        scenario="browse",
        users=200,
        duration="60s",
        command="loadtest/run browse 200 60s",
        date="2026-12-03 12:00 UTC",
        commit="abc1234",
    )
    text = markdown(summary)
    assert "| page | 100 | 0 | 1.0 | 600 | 600 | 600 |" in text
    assert "| page_p95 | FAIL |" in text
    assert "| autosave_p95 | — |" in text
