"""Compare every acknowledged write of a run with what PostgreSQL holds.

    python loadtest/check_lost.py LOAD_OUT.json   → JSON on stdout

Run with the stack's environment (loadtest/run does it)."""

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
django.setup()

from hocvuso.training.models import Attendance  # noqa: E402

from loadtest.loadkit.lost import lost_writes  # noqa: E402
from quizzes.models import Answer, Attempt, AttemptStatus  # noqa: E402


def present_users(class_id: int | None) -> set[int]:
    """Who the class's attendance list holds (the check-in scenario)."""
    if not class_id:
        return set()
    return set(
        Attendance.objects.filter(training_class_id=class_id).values_list(
            "user_id", flat=True
        )
    )


def main(out: Path) -> dict:
    run = json.loads(out.read_text())
    acked = {(a, q): (s, c) for a, q, s, c in run["acked_answers"]}
    attempt_ids = {a for a, _q in acked} | set(run["acked_submits"])
    stored = {}
    finished = set()
    ids = sorted(attempt_ids)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for a in Answer.objects.filter(attempt_id__in=chunk).only(
            "attempt_id", "question_id", "seq", "choice_ids"
        ):
            stored[(a.attempt_id, a.question_id)] = (a.seq, a.choice_ids)
        finished |= set(
            Attempt.objects.filter(
                pk__in=chunk, status=AttemptStatus.FINISHED
            ).values_list("pk", flat=True)
        )
    result = lost_writes(
        acked_answers=acked,
        stored_answers=stored,
        acked_submits=set(run["acked_submits"]),
        finished_attempts=finished,
        acked_checkins=set(run.get("acked_checkins", [])),
        present_users=present_users(run.get("checkin_class")),
    )
    return {**asdict(result), "lost": result.lost}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
