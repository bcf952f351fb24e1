"""The check-in load scenario (issue 21) without the stack: the seed makes a
class with the load learners invited and a trainer whose session reads the
rotating QR; a learner's session opening that URL is present; the lost-write
check finds every acknowledged check-in; the Locust user class loads."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from hocvuso.training.models import Attendance, Invitation, TrainingClass

from loadtest.loadkit.lost import lost_writes
from loadtest.loadkit.merge import merge_runs
from loadtest.loadkit.summary import ClassStats, summarise

REPO = Path(__file__).resolve().parents[2]


def test_acknowledged_check_ins_missing_from_the_list_are_lost():
    kept = lost_writes(
        acked_answers={},
        stored_answers={},
        acked_submits=set(),
        finished_attempts=set(),
        acked_checkins={1, 2, 3},
        present_users={1, 2, 3, 4},  # 4 was marked by hand
    )
    assert kept.lost == 0 and kept.checkins_checked == 3
    lost = lost_writes(
        acked_answers={},
        stored_answers={},
        acked_submits=set(),
        finished_attempts=set(),
        acked_checkins={1, 2, 3},
        present_users={2},
    )
    assert lost.checkins_lost == 2 and lost.lost == 2


def _part(checkins, class_id):
    return {
        "seconds": 120,
        "generator_cpu_percent": 10,
        "classes": {},
        "acked_answers": [],
        "acked_submits": [],
        "acked_checkins": checkins,
        "checkin_class": class_id,
    }


def test_workers_check_ins_are_merged():
    master = _part([], None)
    merged = merge_runs([master, _part([1, 3], 7), _part([2], 7)])
    assert merged["acked_checkins"] == [1, 2, 3] and merged["checkin_class"] == 7


def test_the_check_in_p95_is_a_gate():
    slow = ClassStats()
    for _ in range(100):
        slow.add(900, False)
    summary = summarise(
        classes={"checkin": slow},
        seconds=120,
        lost=0,
        server_cpu_seconds=1,
        generator_cpu_percent=10,
    )
    assert summary["gates"]["checkin_p95"] is False
    assert summary["gates"]["errors"] is True


@pytest.fixture
def seed():
    from loadtest import seed

    return seed


@pytest.mark.django_db
def test_the_seeded_class_takes_each_learners_scan_once(
    client, seed, build_catalog, settings
):
    build_catalog(courses=1, lessons=1)
    password = seed.make_password(seed.PASSWORD)
    users = seed.learners_seed("checkin", 3, password)
    plan = {}
    learners = seed.checkin_plan(users, password, plan)
    info = plan["checkin_class"]
    training_class = TrainingClass.objects.get(pk=info["id"])
    assert Invitation.objects.filter(training_class=training_class).count() == 3
    # Seeding again (a second run) starts from nobody present.
    Attendance.objects.create(
        training_class=training_class,
        user=users[0],
        marked_at=timezone.now(),
        method="qr",
    )
    learners = seed.checkin_plan(users, password, plan)
    info = plan["checkin_class"]
    assert info["id"] == training_class.pk
    assert not Attendance.objects.exists()
    assert TrainingClass.objects.filter(title=seed.CHECKIN_TITLE).count() == 1

    seed.checkin_arm(info["id"], timezone.now().timestamp())
    # The trainer's screen, with the seeded session.
    client.cookies[settings.SESSION_COOKIE_NAME] = info["trainer"]["session"]
    state = client.get(info["state_url"])
    assert state.status_code == 200
    url = state.json()["url"]
    assert url.startswith("http") and "/diem-danh/?t=" in url
    path = url.split("://", 1)[1].split("/", 1)[1]
    for learner in learners:
        client.cookies[settings.SESSION_COOKIE_NAME] = learner["session"]
        response = client.get("/" + path)
        assert response.status_code == 200
        assert "Bạn có mặt ở lớp" in response.content.decode()
    present = set(
        Attendance.objects.filter(training_class_id=info["id"]).values_list(
            "user_id", flat=True
        )
    )
    assert present == {u.pk for u in users}
    assert not Attendance.objects.filter(late=True).exists()
    # No summons for 3 load accounts from the hourly task.
    from hocvuso.training.services import training_summons_send

    assert training_summons_send() == 0


def test_the_locust_user_class_loads_with_a_checkin_plan(tmp_path):
    """In a process of its own: importing Locust patches the standard library
    for gevent, which this test process must not have."""
    plan = {
        "session_cookie": "sessionid",
        "csrf_cookie": "csrftoken",
        "checkin": [{"user_id": 1, "session": "s", "csrf": "c"}],
        "checkin_class": {
            "id": 7,
            "state_url": "/quan-tri/lop-hoc/7/ma-qr/trang-thai/",
            "refresh": 10,
            "trainer": {"session": "t", "csrf": "c"},
            "run_start": 0,
            "window": 105,
        },
    }
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))
    script = (
        "import loadtest.locustfile as lf\n"
        "assert lf.CheckinAttendee.population == 'checkin'\n"
        "assert lf.qr_path('http://h:1/diem-danh/?t=1:a:b') == '/diem-danh/?t=1:a:b'\n"
        "print(lf.CHECKIN_DONE)\n"
    )
    result = subprocess.run(
        ["nice", "-n", "19", sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ, "LOAD_PLAN": str(plan_path), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Bạn có mặt ở lớp" in result.stdout
