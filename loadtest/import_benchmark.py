"""Benchmark: import 10,000 generated rows of team members (DESIGN §8).

Creates a fresh database next to DATABASE_URL's (test_<name>), imports the
communes of one province, a commune administrator with villages and teams,
then times each phase of the import; with --trace-memory it also records
each phase's peak Python memory (tracemalloc, which slows the run, so the
times are measured in a run without it):

  1. upload and dry run of N rows (every row checked, nothing written);
  2. the real run: N accounts created, one transaction per row, initial
     passwords for the printable sheet (the slower of the two deliveries);
  3. the same file again: dry run, every row "unchanged", nothing written.

Usage (from the repository root):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocvuso_bench \\
    .venv/bin/python loadtest/import_benchmark.py [--rows 10000] [--trace-memory]
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import TestCase  # noqa: E402
from hocvuso.accounts.import_files import csv_bytes, headers  # noqa: E402
from hocvuso.accounts.models import ImportJob, User  # noqa: E402
from hocvuso.accounts.services import (  # noqa: E402
    import_job_confirm,
    import_job_create,
)
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Unit  # noqa: E402
from hocvuso.orgunits.services import team_create, village_create  # noqa: E402

PROVINCE = "51"
COMMUNE = "21025"
VILLAGES = 10
TEAMS = 20


def _rows(count: int) -> list[list[str]]:
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
    given = ["An", "Bình", "Cường", "Dung", "Hà", "Khánh", "Lan", "Minh", "Nga"]
    rows = []
    for n in range(count):
        team = n % (TEAMS + 1)  # one row in 21 is a citizen without a team
        village = (team or n) % VILLAGES + 1  # team i works in village i % 10
        rows.append(
            [
                f"{family[n % 8]} Văn {given[n % 9]}",
                f"098{n:07d}",
                str(1960 + n % 45),
                COMMUNE,
                f"Thôn {village}",
                f"Tổ {team}" if team else "",
                "tổ trưởng" if team and n < TEAMS + 1 else "",
            ]
        )
    return rows


def _phase(label: str, work, *, trace: bool):
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    line = f"{label:<40} {seconds:7.1f} s"
    if trace:
        line += f"   peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MiB"
        tracemalloc.stop()
    print(line, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="peak Python memory per phase (tracemalloc slows the run)",
    )
    args = parser.parse_args()

    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        print(f"database: {connection.vendor} {test_db}, rows: {args.rows}")
        call_command("import_units", province=[PROVINCE], verbosity=0)
        commune = Unit.objects.get(code=COMMUNE)
        villages = [
            village_create(commune=commune, name=f"Thôn {i}", kind="thôn")
            for i in range(1, VILLAGES + 1)
        ]
        for i in range(1, TEAMS + 1):
            team_create(unit=villages[i % VILLAGES], name=f"Tổ {i}")
        admin = User.objects.create_user(username="quantrixa", password="x")
        AdminRole.objects.create(
            user=admin, role=AdminRoleKind.COMMUNE_ADMIN, unit=commune
        )
        data = csv_bytes(headers(), _rows(args.rows))
        print(f"file: {len(data) / 2**20:.1f} MiB CSV")

        def dry_run():
            return import_job_create(
                user=admin, file_name="10k.csv", file=io.BytesIO(data)
            )

        def run(job):
            with TestCase.captureOnCommitCallbacks(execute=True):
                import_job_confirm(job=job, delivery="sheet")
            job.refresh_from_db()
            return job

        trace = args.trace_memory
        job = _phase("1. upload + dry run", dry_run, trace=trace)
        assert job.created == args.rows and job.failed == 0, (job.created, job.failed)
        job = _phase(
            "2. real run (create, password sheet)", lambda: run(job), trace=trace
        )
        assert job.status == "done" and job.created == args.rows
        assert User.objects.filter(phone__startswith="+8498").count() == args.rows
        again = _phase("3. same file again: dry run", dry_run, trace=trace)
        assert again.unchanged == args.rows and again.created == again.updated == 0
        print(f"jobs: {ImportJob.objects.count()}, accounts: {User.objects.count()}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident memory: {rss:.0f} MiB")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0, keepdb=args.keep_db)


if __name__ == "__main__":
    main()
