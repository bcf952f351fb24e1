"""The run's summary: per endpoint class (page, autosave, …) the request
count, errors and p50/p95/p99 from a histogram of response times, and the
issue's gates. Locust's own CSV percentiles are per request name and cannot
be merged into a class, hence our own histogram (same rounding as Locust)."""

from dataclasses import dataclass

CLASSES = (
    "page",
    "state",  # a shared page's personal part (/api/me/state): part of the view
    "static",
    "login",
    "start",
    "autosave",
    "submit",
    "websocket",
    "heartbeat",
    "hls-playlist",
    "hls-segment",
    "checkin",  # a learner opening the class's QR (issue 21)
    "trainer",  # the trainer's screen asking for the next QR
)
# Issue 8, point 4.
ERROR_RATE_MAX_PERCENT = 0.1
# Issue 21: 500 attendees checking in within two minutes, p95 < 500 ms.
P95_MAX_MS = {"page": 500, "state": 500, "autosave": 300, "checkin": 500}
GENERATOR_CPU_MAX_PERCENT = 90
# A failed gate among these makes `loadtest/run` exit non-zero (point 5, CI).
BLOCKING_GATES = ("errors", "lost_writes")


def endpoint_class(name: str) -> str:
    """Request names are "<class>:<detail>", e.g. "page:lesson"."""
    return name.split(":", 1)[0]


def bucket(ms: float) -> int:
    """Locust's rounding: two significant digits above 100 ms."""
    ms = int(round(ms))
    if ms < 100:
        return ms
    if ms < 1000:
        return int(round(ms, -1))
    if ms < 10000:
        return int(round(ms, -2))
    return int(round(ms, -3))


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The smallest response time that `share` of the requests did not exceed."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = share * total
    seen = 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= wanted:
            return ms
    return max(histogram)


@dataclass
class ClassStats:
    requests: int = 0
    failures: int = 0
    histogram: dict[int, int] | None = None

    def add(self, ms: float, failed: bool) -> None:
        self.requests += 1
        self.failures += failed
        if self.histogram is None:
            self.histogram = {}
        key = bucket(ms)
        self.histogram[key] = self.histogram.get(key, 0) + 1

    def to_json(self) -> dict:
        return {
            "requests": self.requests,
            "failures": self.failures,
            "histogram": {str(k): v for k, v in (self.histogram or {}).items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "ClassStats":
        return cls(
            requests=data["requests"],
            failures=data["failures"],
            histogram={int(k): v for k, v in data["histogram"].items()},
        )


def summarise(
    *,
    classes: dict[str, ClassStats],
    seconds: float,
    lost: int,
    server_cpu_seconds: float,
    generator_cpu_percent: float,
    generator_cpu_busiest_percent: float | None = None,
) -> dict:
    """`generator_cpu_percent`: the load generator's CPU, all its processes
    (% of one core); `generator_cpu_busiest_percent`: its busiest process,
    what the gate judges (a process uses one core), the same when there is
    one process."""
    requests = sum(c.requests for c in classes.values())
    failures = sum(c.failures for c in classes.values())
    per_class = {}
    known = {name: n for n, name in enumerate(CLASSES)}
    for name in sorted(classes, key=lambda n: (known.get(n, len(known)), n)):
        stats = classes[name]
        histogram = stats.histogram or {}
        per_class[name] = {
            "requests": stats.requests,
            "failures": stats.failures,
            "rps": round(stats.requests / seconds, 1) if seconds else 0.0,
            "p50_ms": percentile(histogram, 0.50),
            "p95_ms": percentile(histogram, 0.95),
            "p99_ms": percentile(histogram, 0.99),
        }
    error_percent = 100 * failures / requests if requests else 0.0
    summary = {
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "errors": failures,
        "error_percent": round(error_percent, 3),
        "lost_writes": lost,
        "server_cpu_seconds": round(server_cpu_seconds, 1),
        "server_cpu_s_per_1000_requests": (
            round(1000 * server_cpu_seconds / requests, 2) if requests else None
        ),
        "generator_cpu_percent": round(generator_cpu_percent, 1),
        "generator_cpu_busiest_percent": round(
            generator_cpu_percent
            if generator_cpu_busiest_percent is None
            else generator_cpu_busiest_percent,
            1,
        ),
        "classes": per_class,
    }
    summary["gates"] = gates(summary)
    return summary


def gates(summary: dict) -> dict[str, bool | None]:
    """Pass (True) / fail (False) per gate; None when the run had no such
    requests (no autosave in a browse run)."""
    verdicts: dict[str, bool | None] = {
        "errors": summary["requests"] > 0
        and 100 * summary["errors"] / summary["requests"] < ERROR_RATE_MAX_PERCENT,
        "lost_writes": summary["lost_writes"] == 0,
    }
    for name, limit in P95_MAX_MS.items():
        p95 = summary["classes"].get(name, {}).get("p95_ms")
        verdicts[f"{name}_p95"] = None if p95 is None else p95 < limit
    busiest = summary.get(
        "generator_cpu_busiest_percent", summary["generator_cpu_percent"]
    )
    verdicts["generator_cpu"] = busiest < GENERATOR_CPU_MAX_PERCENT
    return verdicts


def blocking_failures(summary: dict) -> list[str]:
    return [g for g in BLOCKING_GATES if summary["gates"].get(g) is False]


def _verdict(value: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "—"}[value]


def markdown(summary: dict) -> str:
    lines = [
        f"# Load test: {summary['scenario']}, {summary['users']} users, "
        f"{summary['duration']}",
        "",
        f"- command: `{summary['command']}`",
        f"- date: {summary['date']}, commit `{summary['commit']}`",
        f"- machine: {summary.get('machine', '')}",
        f"- requests: {summary['requests']} ({summary['rps']}/s)",
        f"- errors: {summary['errors']} ({summary['error_percent']}%)",
        f"- lost acknowledged writes: {summary['lost_writes']}"
        + (f" ({summary['lost_detail']})" if summary.get("lost_detail") else ""),
        f"- server CPU: {summary['server_cpu_seconds']} s, "
        f"{summary['server_cpu_s_per_1000_requests']} CPU-s per 1,000 requests",
        f"- load generator CPU: {summary['generator_cpu_percent']}% of one core in "
        f"{summary.get('generator_processes', 1)} process(es), busiest "
        f"{summary.get('generator_cpu_busiest_percent', summary['generator_cpu_percent'])}% "
        f"(max 5-s sample {summary.get('generator_cpu_max_percent', '—')}%)",
        f"- other processes on the machine: {summary.get('other_cpu_seconds', '—')} CPU-s "
        f"({summary.get('other_cpu_percent_of_machine', '—')}% of all cores; load "
        f"average before the run {summary.get('load_average_before', '—')}); more than a "
        "few % means the timings were disturbed",
        "",
        "| class | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in summary["classes"].items():
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']} | "
            f"{row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} |"
        )
    lines += ["", "| gate | verdict |", "|---|---|"]
    for name, value in summary["gates"].items():
        lines.append(f"| {name} | {_verdict(value)} |")
    return "\n".join(lines) + "\n"
