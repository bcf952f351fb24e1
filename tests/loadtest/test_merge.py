"""A distributed run's summary is one run: the master's and every worker's
LOAD_OUT merged (loadtest/merge_runs.py) give the same percentiles, writes
and generator CPU as one process would have recorded."""

from loadtest.loadkit.merge import merge_runs
from loadtest.loadkit.summary import ClassStats, summarise


def _dump(*, times=(), failed=0, answers=(), submits=(), cpu=40.0, seconds=60.0):
    stats = ClassStats()
    for n, ms in enumerate(times):
        stats.add(ms, n < failed)
    return {
        "seconds": seconds,
        "generator_cpu_percent": cpu,
        "generator_cpu_max_percent": cpu + 10,
        "classes": {"page": stats.to_json()} if times else {},
        "acked_answers": [list(a) for a in answers],
        "acked_submits": list(submits),
        "timeline": [],
    }


def test_percentiles_and_errors_are_those_of_all_workers_together():
    fast = _dump(times=[20.0] * 90, failed=1)
    slow = _dump(times=[800.0] * 10)
    master = _dump(cpu=3.0)
    run = merge_runs([master, fast, slow])
    summary = summarise(
        classes={k: ClassStats.from_json(v) for k, v in run["classes"].items()},
        seconds=run["seconds"],
        lost=0,
        server_cpu_seconds=10.0,
        generator_cpu_percent=run["generator_cpu_percent"],
        generator_cpu_busiest_percent=run["generator_cpu_busiest_percent"],
    )
    page = summary["classes"]["page"]
    assert (page["requests"], page["failures"]) == (100, 1)
    # Neither worker alone has this p95: 90 fast and 10 slow pages.
    assert page["p95_ms"] == 800


def test_the_generator_is_every_process_but_its_gate_is_the_busiest():
    run = merge_runs([_dump(cpu=3.0), _dump(cpu=70.0), _dump(cpu=80.0)])
    assert run["generator_processes"] == 3
    assert run["generator_cpu_percent"] == 153.0
    assert run["generator_cpu_max_percent"] == 90.0
    summary = summarise(
        classes={},
        seconds=60.0,
        lost=0,
        server_cpu_seconds=0.0,
        generator_cpu_percent=run["generator_cpu_percent"],
        generator_cpu_busiest_percent=run["generator_cpu_busiest_percent"],
    )
    # Two workers at 70-80% each are healthy: each has a core of its own.
    assert summary["gates"]["generator_cpu"] is True


def test_acknowledged_writes_of_every_worker_are_checked():
    one = _dump(answers=[(1, 10, 5, [100]), (2, 20, 3, [200])], submits=[1])
    two = _dump(answers=[(1, 10, 7, [101])], submits=[3])
    run = merge_runs([one, two])
    # The newest acknowledged save of an answer is the one to find stored.
    assert run["acked_answers"] == [[1, 10, 7, [101]], [2, 20, 3, [200]]]
    assert run["acked_submits"] == [1, 3]
