"""Turn Locust's CSV into the committed summary (loadtest/results/)."""

import argparse
import csv
import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"

parser = argparse.ArgumentParser()
for name in (
    "--stats",
    "--lost",
    "--users",
    "--duration",
    "--server-ticks",
    "--locust-cpu",
    "--command",
):
    parser.add_argument(name, required=True)
args = parser.parse_args()

with open(args.stats) as handle:
    rows = {row["Name"]: row for row in csv.DictReader(handle)}
row = rows["PUT /api/attempts/[id]/answers/[q]"]
lost = json.loads(args.lost)
ticks_per_second = os.sysconf("SC_CLK_TCK")
server_cpu = int(args.server_ticks) / ticks_per_second
# time(1) prefixes a line when Locust exits non-zero (it does on any failure).
locust_user, locust_system = (
    float(v) for v in args.locust_cpu.strip().splitlines()[-1].split()
)
requests = int(row["Request Count"])
commit = subprocess.run(
    ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
).stdout.strip()
summary = {
    "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    "commit": commit,
    "command": args.command,
    "users": int(args.users),
    "duration_s": int(args.duration),
    "requests": requests,
    "failures": int(row["Failure Count"]),
    "error_rate_percent": round(100 * int(row["Failure Count"]) / max(requests, 1), 3),
    "autosaves_per_s": round(float(row["Requests/s"]), 1),
    "p50_ms": float(row["50%"]),
    "p95_ms": float(row["95%"]),
    "p99_ms": float(row["99%"]),
    "max_ms": float(row["Max Response Time"]),
    "acknowledged_checked": lost["acknowledged"],
    "lost_acknowledged": lost["lost"],
    "server_cpu_s_per_1000_requests": round(1000 * server_cpu / max(requests, 1), 2),
    "load_generator_cpu_percent": round(
        100 * (locust_user + locust_system) / int(args.duration), 1
    ),
}
RESULTS.mkdir(exist_ok=True)
(RESULTS / "autosave-latest.json").write_text(json.dumps(summary, indent=2) + "\n")
print(json.dumps(summary, indent=2))
