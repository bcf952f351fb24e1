"""How long and how much memory the imports take to refuse the 1.4 MB .xlsx
that unpacks to 390 MB (issue 15). A measurement, not a test:

    .venv/bin/python tests/hostile/measure_zip_bomb.py [--unpacked-mb 390]

Prints the time and the extra peak memory (resident set size of this process,
and Python allocations seen by tracemalloc) of each import's reader."""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.test")

import django  # noqa: E402

django.setup()

from hocvuso.accounts.import_files import read_table  # noqa: E402
from hocvuso.core.spreadsheet import SpreadsheetError  # noqa: E402

from quizzes.question_import import SheetError, sheet_rows  # noqa: E402
from tests.hostile import corpus  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _refuse(bomb: bytes, read) -> str:
    try:
        read(io.BytesIO(bomb))
    except (SpreadsheetError, SheetError) as error:
        return f"refused: {error}"
    return "ACCEPTED (bad)"


def measure(label: str, bomb: bytes, read) -> None:
    # Timed without tracemalloc, which slows Python down several times.
    rss_before = _rss_mb()
    started = time.perf_counter()
    outcome = _refuse(bomb, read)
    elapsed = time.perf_counter() - started
    rss_extra = _rss_mb() - rss_before
    tracemalloc.start()
    _refuse(bomb, read)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label}: {elapsed:.3f} s, peak RSS +{rss_extra:.1f} MB, "
        f"Python allocations peak {peak / 2**20:.1f} MB — {outcome}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unpacked-mb", type=int, default=390)
    args = parser.parse_args()
    account = corpus.xlsx_bomb(corpus.ACCOUNT_HEADER, unpacked_mb=args.unpacked_mb)
    question = corpus.xlsx_bomb(corpus.QUESTION_HEADER, unpacked_mb=args.unpacked_mb)
    print(f"bomb: {len(account) / 2**20:.2f} MB packed, {args.unpacked_mb} MB unpacked")
    measure("account import", account, lambda f: read_table(f, "bom.xlsx"))
    measure("question import", question, lambda f: sheet_rows(name="bom.xlsx", file=f))


if __name__ == "__main__":
    main()
