"""loadtest/ratio's arithmetic: per flow, from what its Locust run dumped,
requests/s, views/s, latency and errors, and the ratio of its views/s to the
bare Django view's (issue 17: a logged-in lesson view at 0.6× at least, an
anonymous lesson at 1.0×).

A "view" is what a reader waits for: one request, or for a logged-in lesson
the page and its personal state (/api/me/state), one after the other. Only
views whose requests all answered 200 count towards views/s and the ratio:
a redirect to the login page is cheap and would flatter a flow."""

from .summary import ClassStats, percentile

# (name, Locust class, target ratio to bare or None), in the order they run.
FLOWS = (
    ("bare", "RatioBare", None),
    ("anon-lesson", "RatioAnonLesson", 1.0),
    ("lesson-logged-in", "RatioLessonView", 0.6),
    ("autosave", "RatioAutosave", None),
)
FLOW_NAMES = tuple(name for name, _cls, _target in FLOWS)
LOCUST_CLASS = {name: cls for name, cls, _target in FLOWS}
TARGET = {name: target for name, _cls, target in FLOWS}


def flow_row(*, flow: str, run: dict) -> dict:
    """One flow's figures from its LOAD_OUT (one Locust process, counted
    inside the measured window only)."""
    seconds = run["seconds"]
    classes = [ClassStats.from_json(c) for c in run["classes"].values()]
    requests = sum(c.requests for c in classes)
    failures = sum(c.failures for c in classes)
    views = ClassStats.from_json(run["views"])
    good_views = views.requests - views.failures
    stack_cpu = run.get("stack_cpu_seconds")
    generator_cpu = run["generator_cpu_percent"] / 100 * seconds
    machine_cpu = run.get("machine_cpu_seconds")
    return {
        "flow": flow,
        "seconds": round(seconds, 1),
        "requests": requests,
        "requests_per_s": round(requests / seconds, 1),
        "views": views.requests,
        "views_ok": good_views,
        "views_per_s": round(good_views / seconds, 1),
        "p50_ms": percentile(views.histogram or {}, 0.50),
        "p95_ms": percentile(views.histogram or {}, 0.95),
        "errors": failures,
        "error_percent": round(100 * failures / requests, 2) if requests else None,
        "stack_cpu_ms_per_view": (
            round(1000 * stack_cpu / good_views, 2)
            if stack_cpu is not None and good_views
            else None
        ),
        "generator_cpu_percent": round(run["generator_cpu_percent"], 1),
        "other_cpu_seconds": (
            round(max(0.0, machine_cpu - stack_cpu - generator_cpu), 1)
            if stack_cpu is not None and machine_cpu is not None
            else None
        ),
    }


def with_ratios(rows: list[dict]) -> list[dict]:
    """Each row's views/s over the bare view's, and its target's verdict.
    Without a bare row (or a bare view that served nothing) there is no ratio."""
    bare = next((r["views_per_s"] for r in rows if r["flow"] == "bare"), None)
    out = []
    for row in rows:
        ratio = round(row["views_per_s"] / bare, 2) if bare else None
        target = TARGET.get(row["flow"])
        verdict = None if ratio is None or target is None else ratio >= target
        out.append(
            {**row, "ratio_to_bare": ratio, "target": target, "meets_target": verdict}
        )
    return out


def _cell(value) -> str:
    return "—" if value is None else str(value)


def _ratio_cell(row: dict) -> str:
    if row["ratio_to_bare"] is None:
        return "—"
    text = f"{row['ratio_to_bare']}×"
    if row["target"] is not None:
        text += f" ({'pass' if row['meets_target'] else 'FAIL'}: ≥ {row['target']}×)"
    return text


def markdown(head: dict, rows: list[dict]) -> str:
    lines = [
        "# Side by side: the project's flows against a bare Django view",
        "",
        f"- command: `{head['command']}`",
        f"- date: {head['date']}, commit `{head['commit']}`",
        f"- machine: {head['machine']}",
        f"- closed loop: {head['users']} users, each sending its next request as soon as "
        f"the previous one is answered; {head['warmup']} s warm-up, then {head['duration']} s "
        "measured per flow, one flow after the other, one Locust process",
        f"- server: the local stack's nginx and gunicorn ({head['wsgi_workers']} workers × "
        f"{head['wsgi_threads']} threads, gthread); the bare view (loadtest/bare) under the "
        "same gunicorn settings behind the same nginx",
        "- views/s: views whose requests all answered 200; the ratio is views/s over the "
        "bare view's; p50/p95 of a view (a logged-in lesson view: page then personal state)",
        "- other processes: CPU-s of the machine spent by neither the stack nor Locust "
        "during the flow's window; more than a few means the figures were disturbed",
        "",
        "| flow | requests/s | views/s | p50 ms | p95 ms | errors | ratio to bare "
        "| stack CPU ms/view | Locust CPU % | other CPU-s |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for row in rows:
        errors = f"{row['errors']} ({_cell(row['error_percent'])}%)"
        lines.append(
            f"| {row['flow']} | {row['requests_per_s']} | {row['views_per_s']} | "
            f"{_cell(row['p50_ms'])} | {_cell(row['p95_ms'])} | {errors} | "
            f"{_ratio_cell(row)} | {_cell(row['stack_cpu_ms_per_view'])} | "
            f"{row['generator_cpu_percent']} | {_cell(row['other_cpu_seconds'])} |"
        )
    return "\n".join(lines) + "\n"
