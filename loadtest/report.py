"""Write a run's summary to loadtest/results/<scenario>-<users>.md and .json
from what Locust dumped (LOAD_OUT), the lost-write check and the server's
CPU. Exits 1 when a blocking gate (errors, lost writes) fails."""

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from loadtest.loadkit.summary import (  # noqa: E402
    ClassStats,
    blocking_failures,
    markdown,
    summarise,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", type=Path, required=True, help="LOAD_OUT json")
    parser.add_argument("--lost", type=Path, required=True, help="check_lost json")
    parser.add_argument("--server-cpu", type=float, required=True, help="seconds")
    parser.add_argument(
        "--machine-cpu", type=float, required=True, help="busy seconds, all CPUs"
    )
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--duration", required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--results", type=Path, default=REPO / "loadtest/results")
    parser.add_argument("--extra", default="{}", help="json merged into the summary")
    args = parser.parse_args()

    run = json.loads(args.run.read_text())
    lost = json.loads(args.lost.read_text())
    summary = summarise(
        classes={k: ClassStats.from_json(v) for k, v in run["classes"].items()},
        seconds=run["seconds"],
        lost=lost["lost"],
        server_cpu_seconds=args.server_cpu,
        generator_cpu_percent=run["generator_cpu_percent"],
        generator_cpu_busiest_percent=run.get("generator_cpu_busiest_percent"),
    )
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    head = {
        "scenario": args.scenario,
        "users": args.users,
        "duration": args.duration,
        "seconds": round(run["seconds"], 1),
        "command": args.command,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "machine": f"{os.cpu_count()} cores, load generator on the same machine",
        "generator_cpu_max_percent": run.get("generator_cpu_max_percent"),
        "generator_processes": run.get("generator_processes", 1),
        "lost_detail": ", ".join(f"{k} {v}" for k, v in lost.items() if k != "lost"),
        **json.loads(args.extra),
    }
    generator_seconds = run["generator_cpu_percent"] / 100 * run["seconds"]
    other = max(0.0, args.machine_cpu - args.server_cpu - generator_seconds)
    head["other_cpu_seconds"] = round(other, 1)
    head["other_cpu_percent_of_machine"] = round(
        100 * other / (run["seconds"] * (os.cpu_count() or 1)), 1
    )
    summary = {**head, **summary}
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"{args.scenario}-{args.users}"
    stem.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(summary))
    print(markdown(summary))
    failed = blocking_failures(summary)
    if failed:
        print(f"FAILED gates: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
