"""Issue 25's acceptance for learning records: an exam load run with the LRS
down loses no statement. Run with the stack's environment (loadtest/lrs_outage
does it).

    python loadtest/lrs_outage.py arm --port P      → JSON: the outbox before
    python loadtest/lrs_outage.py recover --port P --before JSON --out FILE
    python loadtest/lrs_outage.py off

`arm` switches every site's LRS on, pointed at a stand-in on P that is not
running (a refused connection, as with an LRS that is down). `recover` starts
the stand-in on P, lets the outbox drain as the Celery beat would, with the
backoff the outage earned cut short (what an operator does once the LRS is
back: otherwise the last wait, up to an hour, runs out first), and checks that
every statement written since `arm` reached the LRS once, and that every test
finished in the run has its "attempted" statement."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
django.setup()

from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from hocvuso.xapi.models import LrsSettings, Statement  # noqa: E402
from hocvuso.xapi.services import outbox_drain  # noqa: E402
from wagtail.models import Site  # noqa: E402

from quizzes.models import Attempt  # noqa: E402
from tests.xapi_lrs import LrsStandIn  # noqa: E402

KEY, SECRET = "khoa-thu-tai", "bi-mat-thu-tai"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
DRAIN_LIMIT_SECONDS = 600
SWEEP_WAIT_SECONDS = 300


def arm(port: int) -> dict:
    for site in Site.objects.all():
        config = LrsSettings.for_site(site)
        config.enabled = True
        config.endpoint = f"http://127.0.0.1:{port}/xapi"
        config.key, config.secret = KEY, SECRET
        config.save()
    return {
        "statement_max_id": Statement.objects.aggregate(m=Max("id"))["m"] or 0,
        "attempt_max_id": Attempt.objects.aggregate(m=Max("id"))["m"] or 0,
        "armed_at": timezone.now().isoformat(),
    }


def off() -> None:
    """Back as the stack was: no site sends statements."""
    for config in LrsSettings.objects.filter(enabled=True):
        config.enabled = False
        config.save()


def _wait_for_sweep(before: dict) -> int:
    """The tests the learners left unsubmitted are finished by the overdue
    sweep (Celery beat) after the deadline's grace: their statements are
    written then. Bounded; the count still open is reported."""
    open_attempts = Attempt.objects.filter(
        id__gt=before["attempt_max_id"], finished_at=None
    )
    started = time.monotonic()
    while open_attempts.exists() and time.monotonic() - started < SWEEP_WAIT_SECONDS:
        time.sleep(5)
    return open_attempts.count()


def recover(port: int, before: dict) -> dict:
    unfinished = _wait_for_sweep(before)
    written = Statement.objects.filter(id__gt=before["statement_max_id"])
    waiting = written.filter(sent_at=None)
    summary = {
        "tests_left_unfinished": unfinished,
        "written_during_run": written.count(),
        "waiting_when_lrs_returned": waiting.count(),
        "failed_tries_during_outage": waiting.aggregate(m=Max("attempts"))["m"] or 0,
    }
    lrs = LrsStandIn(key=KEY, secret=SECRET, port=port).start()
    started = time.monotonic()
    try:
        waiting.update(next_attempt_at=timezone.now())
        while waiting.exists() and time.monotonic() - started < DRAIN_LIMIT_SECONDS:
            outbox_drain()
        summary["drain_seconds"] = round(time.monotonic() - started, 1)
        ids = {str(i) for i in written.values_list("statement_id", flat=True)}
        stored = set(lrs.stored_ids)
        summary["lost"] = len(ids - stored)
        summary["still_waiting"] = waiting.count()
        summary["received_by_lrs"] = len(stored & ids)
        # The LRS keeps one copy per id: a statement sent twice (409) is
        # counted once here and in `stored`.
        summary["statements_posted"] = sum(len(p.statements) for p in lrs.posts)
        finished = Attempt.objects.filter(
            id__gt=before["attempt_max_id"], finished_at__isnull=False
        ).count()
        attempted = sum(
            1
            for body in written.values_list("body", flat=True)
            if body["verb"]["id"] == ATTEMPTED
        )
        summary["tests_finished"] = finished
        summary["attempted_statements"] = attempted
    finally:
        lrs.stop()
    summary["ok"] = (
        summary["lost"] == 0
        and summary["still_waiting"] == 0
        and summary["tests_finished"] == summary["attempted_statements"]
    )
    return summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["arm", "recover", "off"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.step == "off":
        off()
        return 0
    if args.step == "arm":
        print(json.dumps(arm(args.port)))
        return 0
    summary = recover(args.port, json.loads(args.before.read_text()))
    text = json.dumps(summary, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
