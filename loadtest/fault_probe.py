"""The Django side of loadtest/faults: what PostgreSQL holds after a fault,
the overdue attempts fault 3 needs, and the websocket probe of fault 7.

    python loadtest/fault_probe.py check RUN.json PLAN.json --takers N
    python loadtest/fault_probe.py arrange-overdue PLAN.json --first N --count K
    python loadtest/fault_probe.py overdue-status IDS.json
    python loadtest/fault_probe.py ws PLAN.json --learner I

Run with the stack's environment (loadtest/faults does it). JSON on stdout.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates.models import Certificate, CertificateStatus  # noqa: E402
from courses.models import CoursePage, LessonPage  # noqa: E402
from courses.services import enrolment_create, lesson_complete  # noqa: E402
from loadtest.check_lost import main as lost_check  # noqa: E402
from quizzes.models import Attempt, AttemptStatus, Choice, QuizPage  # noqa: E402
from quizzes.services import answer_autosave, attempt_start, grace  # noqa: E402
from quizzes.tasks import attempts_overdue_finish_task, deadlines_push_task  # noqa: E402


def duplicate_certificates() -> int:
    """Learners holding two current certificates for one course or
    programme (the unique constraints should make this 0)."""
    current = Certificate.objects.exclude(status=CertificateStatus.REPLACED)
    extra = 0
    for field in ("course", "programme"):
        groups = (
            current.filter(**{f"{field}__isnull": False})
            .values("user", field)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        extra += sum(g["n"] - 1 for g in groups)
    return extra


def check(run_path: Path, plan_path: Path, takers: int) -> dict:
    plan = json.loads(plan_path.read_text())
    user_ids = [learner["user_id"] for learner in plan["takers"][:takers]]
    finished = Attempt.objects.filter(
        user_id__in=user_ids, quiz_id=plan["quiz"]["id"], status=AttemptStatus.FINISHED
    ).values_list("finished_at", flat=True)
    return {
        **lost_check(run_path),
        "finished_at": [t.timestamp() for t in finished],
        "duplicate_certificates": duplicate_certificates(),
    }


def arrange_overdue(plan_path: Path, first: int, count: int) -> dict:
    """Learners who did every lesson and answered the final test right, past
    deadline + grace without submitting: the overdue sweep finishes them,
    they pass, and each earns a certificate (issued by Celery)."""
    plan = json.loads(plan_path.read_text())
    quiz = QuizPage.objects.get(pk=plan["quiz"]["id"])
    course = CoursePage.objects.get(pk=plan["courses"][0]["id"])
    lessons = list(LessonPage.objects.live().child_of(course))
    from hocvuso.accounts.models import User

    users = User.objects.filter(
        pk__in=[learner["user_id"] for learner in plan["takers"][first : first + count]]
    )
    Certificate.objects.filter(user__in=users).delete()
    ids = []
    for user in users:
        enrolment_create(user=user, course=course)
        for lesson in lessons:
            lesson_complete(user=user, lesson=lesson)
        attempt = attempt_start(user=user, quiz=quiz)
        for seq, qid in enumerate(attempt.question_ids, start=1):
            right = list(
                Choice.objects.filter(question_id=qid, correct=True).values_list(
                    "pk", flat=True
                )
            )
            answer_autosave(attempt=attempt, question_id=qid, choice_ids=right, seq=seq)
        ids.append(attempt.pk)
    past = timezone.now() - grace() - timedelta(minutes=1)
    Attempt.objects.filter(pk__in=ids).update(deadline=past)
    attempts_overdue_finish_task.delay()
    return {"attempt_ids": ids, "user_ids": [u.pk for u in users]}


def overdue_status(ids_path: Path) -> dict:
    arranged = json.loads(ids_path.read_text())
    attempts = Attempt.objects.filter(pk__in=arranged["attempt_ids"])
    certificates = Certificate.objects.filter(user_id__in=arranged["user_ids"])
    return {
        "arranged": len(arranged["attempt_ids"]),
        "open": attempts.filter(status=AttemptStatus.OPEN).count(),
        "passed": attempts.filter(passed=True).count(),
        "certificates": certificates.count(),
        "certificates_rendered": certificates.exclude(Q(pdf="") | Q(png="")).count(),
        "duplicate_certificates": duplicate_certificates(),
    }


def _ws_probe(url: str, headers: dict, attempt_id: int, budget: float) -> dict:
    """Connect, wait for the server to go away (the caller kills uvicorn),
    reconnect as quiz.js does (1 s, doubling up to 60 s), then ask Celery to
    push the deadline and wait for it on the new connection. simple-websocket
    (Locust's client, already in the load extras) plays the browser."""
    import simple_websocket

    started = time.monotonic()
    result = {"connected": False, "dropped": False, "reconnected": False, "push": False}
    socket = simple_websocket.Client.connect(url, headers=headers)
    result["connected"] = True
    print(json.dumps({"event": "connected"}), flush=True)
    try:
        socket.receive(timeout=budget)
    except simple_websocket.ConnectionClosed:
        result["dropped"] = True
    dropped_at = time.monotonic()
    delay = 1.0
    while time.monotonic() - started < budget:
        time.sleep(delay)
        try:
            socket = simple_websocket.Client.connect(url, headers=headers)
        except (OSError, simple_websocket.ConnectionError):
            delay = min(delay * 2, 60.0)
            continue
        result["reconnected"] = True
        result["reconnect_seconds"] = round(time.monotonic() - dropped_at, 1)
        deadlines_push_task.delay([attempt_id])
        sent = time.monotonic()
        try:
            message = socket.receive(timeout=30)
            if message is not None:
                result["push"] = json.loads(message).get("type") == "deadline"
                result["push_seconds"] = round(time.monotonic() - sent, 2)
        except simple_websocket.ConnectionClosed:
            pass
        socket.close()
        break
    return result


def ws(plan_path: Path, learner_index: int, budget: float) -> dict:
    plan = json.loads(plan_path.read_text())
    learner = plan["takers"][learner_index]
    from hocvuso.accounts.models import User

    user = User.objects.get(pk=learner["user_id"])
    attempt = attempt_start(user=user, quiz=QuizPage.objects.get(pk=plan["quiz"]["id"]))
    connection.close()
    site = os.environ["SITE_URL"]
    url = site.replace("http", "ws", 1) + f"/ws/attempts/{attempt.pk}/"
    headers = {
        "Cookie": f"{plan['session_cookie']}={learner['session']}",
        "Origin": site,
    }
    return _ws_probe(url, headers, attempt.pk, budget)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check")
    p.add_argument("run", type=Path)
    p.add_argument("plan", type=Path)
    p.add_argument("--takers", type=int, required=True)
    p = sub.add_parser("arrange-overdue")
    p.add_argument("plan", type=Path)
    p.add_argument("--first", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p = sub.add_parser("overdue-status")
    p.add_argument("ids", type=Path)
    p = sub.add_parser("ws")
    p.add_argument("plan", type=Path)
    p.add_argument("--learner", type=int, required=True)
    p.add_argument("--budget", type=float, default=120)
    args = parser.parse_args()
    if args.command == "check":
        out = check(args.run, args.plan, args.takers)
    elif args.command == "arrange-overdue":
        out = arrange_overdue(args.plan, args.first, args.count)
    elif args.command == "overdue-status":
        out = overdue_status(args.ids)
    else:
        out = ws(args.plan, args.learner, args.budget)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
