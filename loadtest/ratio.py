"""The project's flows side by side with a bare Django view (issue 17).

    loadtest/ratio [--users 50] [--duration 60] [--warmup 10] [--flows bare,anon-lesson,…]

Run through loadtest/ratio (it starts the stack and sets its environment).
Starts the bare view (loadtest/bare) under gunicorn with the stack's worker
settings, seeds learners and takers (seed.py), then runs each flow closed
loop in one Locust process and writes loadtest/results/ratio.{md,json}
(Locust's CSV and logs in loadtest/results/ratio/). Everything on 127.0.0.1;
every step bounded in time."""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loadtest.loadkit.ratio import (  # noqa: E402
    FLOW_NAMES,
    LOCUST_CLASS,
    flow_row,
    markdown,
    with_ratios,
)

PY = str(REPO / ".venv/bin/python")
STACK_DIR = Path(os.environ["STACK_DIR"])
URL = os.environ["STACK_URL"]


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def bare_start(log: Path) -> subprocess.Popen:
    """The bare view under gunicorn with the project's worker count, class,
    threads, backlog and keep-alive (deploy/stack/start)."""
    port = os.environ["STACK_BARE_PORT"]
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", int(port))) == 0:
            raise SystemExit(f"port {port} (STACK_BARE_PORT) is already taken")
    ready = tempfile.mkdtemp(prefix="bare-ready-")
    server = subprocess.Popen(
        [
            str(REPO / ".venv/bin/gunicorn"), "loadtest.bare.wsgi",
            "--chdir", str(REPO),
            "-c", str(REPO / "deploy/stack/gunicorn.conf.py"),
            "-b", f"127.0.0.1:{port}", "--worker-class", "gthread",
            "--workers", os.environ["STACK_WSGI_WORKERS"],
            "--threads", os.environ["STACK_WSGI_THREADS"],
            "--backlog", "4096", "--keep-alive", "75", "--log-level", "warning",
        ],
        env={**os.environ, "GUNICORN_READY_DIR": ready},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    for _ in range(120):
        if status(f"{URL}/__bare/") == 200:
            return server
        if server.poll() is not None:
            break
        time.sleep(0.5)
    bare_stop(server)
    raise SystemExit(
        f"{URL}/__bare/ does not answer 200 (see {log}); an nginx started before "
        "/__bare/ existed needs `deploy/stack/stop && deploy/stack/start`"
    )


def bare_stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def stack_pids(extra: list[int]) -> list[int]:
    """The stack's root processes (their children are summed by loadkit.cpu)."""
    pids = list(extra)
    for pid_file in (STACK_DIR / "run").glob("*.pid"):
        text = pid_file.read_text().strip()
        if text.isdigit():
            pids.append(int(text))
    postmaster = Path(os.environ["STACK_PG_DIR"]) / "postmaster.pid"
    if postmaster.exists():
        pids.append(int(postmaster.read_text().split()[0]))
    return pids


def run(command: list[str], *, timeout: float, check: bool = True, **kwargs) -> None:
    subprocess.run(command, check=check, timeout=timeout, **kwargs)


def flow_run(
    flow: str, *, args, plan: Path, work: Path, out: Path, pids: list[int]
) -> dict:
    dump = work / f"{flow}.json"
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan),
        "LOAD_OUT": str(dump),
        "LOAD_MEASURE_AFTER": str(args.warmup),
        "LOAD_MEASURE_SECONDS": str(args.duration),
        "LOAD_CPU_PIDS": " ".join(map(str, pids)),
    }
    seconds = args.warmup + args.duration + 2
    print(f"→ {flow}: {args.users} users, {args.warmup} s warm-up + {args.duration} s")
    # Locust exits 1 when a request failed: the failures are in the figures.
    with (out / f"{flow}.log").open("w") as log:
        run(
            [
                str(REPO / ".venv/bin/locust"), "-f", str(REPO / "loadtest/locustfile.py"),
                "--headless", "--only-summary", "-u", str(args.users), "-r", str(args.users),
                "-t", f"{seconds}s", "--stop-timeout", "5", "--host", URL,
                "--csv", str(out / flow), "--loglevel", "WARNING", LOCUST_CLASS[flow],
            ],
            timeout=seconds + 120, check=False, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return flow_row(flow=flow, run=json.loads(dump.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="measured s per flow")
    parser.add_argument(
        "--warmup", type=int, default=10, help="s per flow, not counted"
    )
    parser.add_argument("--flows", default=",".join(FLOW_NAMES))
    parser.add_argument("--command", default="loadtest/ratio")
    parser.add_argument("--results", type=Path, default=REPO / "loadtest/results")
    args = parser.parse_args()
    flows = args.flows.split(",")
    unknown = set(flows) - set(FLOW_NAMES)
    if (
        unknown
        or not 1 <= args.users <= 2000
        or not 5 <= args.duration <= 600
        or not 1 <= args.warmup <= 120
    ):
        parser.error(
            f"flows among {FLOW_NAMES}, 1-2000 users, 5-600 s, warm-up 1-120 s ({unknown or ''})"
        )
    out = args.results / "ratio"
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plan = work / "plan.json"
        # The exam stays open for every flow; the autosave flow comes last.
        clock = len(flows) * (args.warmup + args.duration + 30) + 120
        seed = ["--browsers", str(args.users), "--takers", str(args.users)]
        run([PY, str(REPO / "loadtest/seed.py"), *seed, "--duration", str(clock), "--out", str(plan)], timeout=900)  # fmt: skip
        run([PY, str(REPO / "loadtest/warmup.py"), str(plan), URL], timeout=300)
        run([PY, str(REPO / "loadtest/seed.py"), "--arm", "--duration", str(clock), "--out", str(plan)], timeout=120)  # fmt: skip

        server = bare_start(out / "bare-gunicorn.log") if "bare" in flows else None
        try:
            pids = stack_pids([server.pid] if server else [])
            rows = [
                flow_run(flow, args=args, plan=plan, work=work, out=out, pids=pids)
                for flow in flows
            ]
        finally:
            if server:
                bare_stop(server)

    rows = with_ratios(rows)
    head = {
        "command": args.command,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip(),  # fmt: skip
        "machine": f"{os.cpu_count()} cores, load generator on the same machine",
        "users": args.users,
        "warmup": args.warmup,
        "duration": args.duration,
        "wsgi_workers": int(os.environ["STACK_WSGI_WORKERS"]),
        "wsgi_threads": int(os.environ["STACK_WSGI_THREADS"]),
        "load_average_after": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
    (args.results / "ratio.json").write_text(
        json.dumps({**head, "flows": rows}, indent=2) + "\n"
    )
    text = markdown(head, rows)
    (args.results / "ratio.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
