"""One run from what each Locust process dumped (LOAD_OUT): the master has
no users, each worker its own share. Histograms add up, so the percentiles
of the whole run stay exact; acknowledged writes are the union (per answer
the highest sequence number); the load generator's CPU is the sum of every
process's, and the busiest process is kept for its gate (each process runs
on one core)."""

from .summary import ClassStats


def merge_classes(parts: list[dict]) -> dict[str, dict]:
    merged: dict[str, ClassStats] = {}
    for part in parts:
        for name, data in part.items():
            stats = ClassStats.from_json(data)
            total = merged.setdefault(name, ClassStats(histogram={}))
            total.requests += stats.requests
            total.failures += stats.failures
            for ms, n in (stats.histogram or {}).items():
                total.histogram[ms] = total.histogram.get(ms, 0) + n
    return {name: stats.to_json() for name, stats in merged.items()}


def merge_runs(runs: list[dict]) -> dict:
    if not runs:
        raise ValueError("no Locust process wrote its LOAD_OUT")
    seconds = max(run["seconds"] for run in runs)
    answers: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for run in runs:
        for attempt, question, seq, choices in run["acked_answers"]:
            key = (attempt, question)
            if seq > answers.get(key, (0,))[0]:
                answers[key] = (seq, choices)
    # Per process: CPU % of one core over its own wall time.
    cpu = [run["generator_cpu_percent"] for run in runs]
    samples = [
        run["generator_cpu_max_percent"]
        for run in runs
        if run.get("generator_cpu_max_percent") is not None
    ]
    return {
        "seconds": seconds,
        "generator_processes": len(runs),
        "generator_cpu_percent": sum(cpu),
        "generator_cpu_busiest_percent": max(cpu),
        "generator_cpu_max_percent": max(samples) if samples else None,
        "classes": merge_classes([run["classes"] for run in runs]),
        "acked_answers": [[a, q, s, c] for (a, q), (s, c) in sorted(answers.items())],
        "acked_submits": sorted({a for run in runs for a in run["acked_submits"]}),
        "acked_checkins": sorted(
            {u for run in runs for u in run.get("acked_checkins", [])}
        ),
        "checkin_class": next(
            (run["checkin_class"] for run in runs if run.get("checkin_class")), None
        ),
        "timeline": sorted(
            (entry for run in runs for entry in run.get("timeline", [])),
            key=lambda entry: entry[0],
        ),
    }
