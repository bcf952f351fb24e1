"""Prepare the local stack for a load test and write the plan Locust reads.

    python loadtest/seed.py --browsers N --viewers N --takers N --storm N \
        --duration SECONDS --out plan.json

Run with the stack's environment (deploy/stack/env; loadtest/run does it).
Idempotent and quick for 10,000 learners: accounts are bulk-created with one
precomputed password hash, sessions are written straight into the session
table (cached_db reads the database on a cache miss), and every run starts
from the same state: the load learners' progress, attempts and watch time
from earlier runs are removed.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
# The demo video is transcoded in this process, not queued for the worker.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from allauth.mfa.utils import is_mfa_enabled  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.cached_db import KEY_PREFIX, SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from hocvuso.accounts.models import Consent, User  # noqa: E402
from hocvuso.core.demo import demo_privacy_notice_seed, demo_site_seed  # noqa: E402
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Unit, UnitLevel  # noqa: E402
from hocvuso.training.checkin import QR_REFRESH  # noqa: E402
from hocvuso.training.models import Attendance, Invitation, TrainingClass  # noqa: E402

from courses.demo import course_definitions_load, demo_catalog_seed  # noqa: E402
from courses.models import (  # noqa: E402
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonMedia,
    LessonPage,
    LessonProgress,
    MediaKind,
    MediaStatus,
    MediaWatch,
    ProgrammeCompletion,
)
from courses.page_cache import pages_changed  # noqa: E402
from courses.selectors import lesson_media_flags  # noqa: E402
from courses.services import media_create, media_transcode  # noqa: E402
from quizzes.demo import demo_quizzes_seed  # noqa: E402
from quizzes.models import Attempt, QuizPage  # noqa: E402

PASSWORD = "ThuTai@2026"  # the load learners' password (login storm)
VIDEO_TITLE = "Video thử tải (60 giây)"
VIDEO_SECONDS = 60
# Username prefix per population: the populations never share a learner, so
# a browser never passes a test and no certificate is rendered mid-run.
PREFIX = {
    "browsers": "ltb",
    "viewers": "ltv",
    "takers": "lte",
    "storm": "ltl",
    "checkin": "ltc",
}
PHONE = {"browsers": 5, "viewers": 6, "takers": 7, "storm": 8, "checkin": 4}
# The check-in scenario's class, its organiser and its trainer.
CHECKIN_TITLE = "Lớp thử tải điểm danh"
CHECKIN_PROVINCE = ("LT", "Tỉnh thử tải")
CHECKIN_COMMUNE = ("LT001", "Xã thử tải")
CHECKIN_TRAINER = "ltc_giangvien"
# Arrivals end this long before Locust stops, so every scan is answered.
CHECKIN_MARGIN = 15
# Locust starts this long after the plan is written.
LOCUST_START_ALLOWANCE = 3


def content_seed() -> None:
    home = demo_site_seed()
    demo_privacy_notice_seed()
    demo_catalog_seed(home=home, courses=course_definitions_load())
    demo_quizzes_seed()


def video_seed(lesson: LessonPage) -> LessonMedia:
    """One 60-second test-pattern video through the project's own checks and
    transcoding (HLS ladder up to the source's height), shown optional in `lesson`."""
    media = LessonMedia.objects.filter(title=VIDEO_TITLE).first()
    if media is None or media.status != MediaStatus.READY:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "thu-tai.mp4"
            subprocess.run(
                [settings.FFMPEG_BIN, "-nostdin", "-y", "-v", "error",
                 "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=25:duration={VIDEO_SECONDS}",
                 "-f", "lavfi", "-i", f"sine=frequency=440:duration={VIDEO_SECONDS}",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                 "-c:a", "aac", "-b:a", "64k", "-shortest", str(source)],
                check=True,
                timeout=300,
            )  # fmt: skip
            if media is None:
                media = media_create(
                    title=VIDEO_TITLE, kind=MediaKind.VIDEO, path=source
                )
        media = media_transcode(media_id=media.pk)
        if media.status != MediaStatus.READY:
            raise SystemExit(f"video not transcoded: {media.failure_reason}")
    if media.pk not in lesson_media_flags(lesson=lesson):
        body = [{"type": "video", "value": {"media": media.pk, "required": False}}]
        lesson.body = json.dumps(body + list(lesson.body.raw_data), ensure_ascii=False)
        lesson.save_revision().publish()
    return media


def learners_seed(kind: str, count: int, password_hash: str) -> list[User]:
    prefix = PREFIX[kind]
    names = [f"{prefix}{n:05d}" for n in range(count)]
    User.objects.bulk_create(
        [
            User(
                username=name,
                phone=f"+849{PHONE[kind]}{n:07d}",
                full_name=f"Học viên thử tải {name}",
                password=password_hash,
                # Learners signed up with an SMS code; an unverified phone
                # would be asked for one at login.
                phone_verified=True,
            )
            for n, name in enumerate(names)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    User.objects.filter(username__in=names).exclude(
        password=password_hash, phone_verified=True
    ).update(password=password_hash, phone_verified=True)
    for user in by_name.values():
        user.password = password_hash
    return [by_name[name] for name in names]


def progress_reset(user_ids: list[int]) -> None:
    """Every run starts from the same state."""
    for model in (
        Attempt,
        LessonProgress,
        MediaWatch,
        CourseCompletion,
        ProgrammeCompletion,
        Enrolment,
    ):
        model.objects.filter(user_id__in=user_ids).delete()


def sessions_seed(users: list[User]) -> dict[int, str]:
    """A logged-in session per learner, written straight to the table. Keys
    are derived from SECRET_KEY and the username, so a second run rewrites
    the same rows."""
    store = SessionStore()
    expire = timezone.now() + timedelta(days=14)
    keys, rows = {}, []
    for user in users:
        key = hashlib.sha256(f"{settings.SECRET_KEY}:{user.username}".encode())
        keys[user.pk] = key.hexdigest()[:32]
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=keys[user.pk],
                session_data=store.encode(data),
                expire_date=expire,
            )
        )
    Session.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["session_key"],
        update_fields=["session_data", "expire_date"],
    )
    caches[settings.SESSION_CACHE_ALIAS].delete_many(
        [KEY_PREFIX + key for key in keys.values()]
    )
    return keys


def enrol(users: list[User], courses: list[CoursePage]) -> None:
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=user,
                course=courses[n % len(courses)],
                enrolled_at=now,
                last_activity_at=now,
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


def consents_seed(users: list[User]) -> None:
    notice = demo_privacy_notice_seed()
    Consent.objects.bulk_create(
        [Consent(user=u, notice=notice, accepted_at=timezone.now()) for u in users],
        batch_size=2000,
        ignore_conflicts=True,
    )


def checkin_units() -> Unit:
    """The load test's own province and commune (codes no real unit has)."""
    province = Unit.objects.filter(code=CHECKIN_PROVINCE[0]).first()
    if province is None:
        province = Unit.add_root(
            code=CHECKIN_PROVINCE[0],
            name=CHECKIN_PROVINCE[1],
            level=UnitLevel.PROVINCE,
            kind="tỉnh",
        )
    commune = Unit.objects.filter(code=CHECKIN_COMMUNE[0]).first()
    if commune is None:
        commune = province.add_child(
            code=CHECKIN_COMMUNE[0],
            name=CHECKIN_COMMUNE[1],
            level=UnitLevel.COMMUNE,
            kind="xã",
        )
    return commune


def checkin_trainer_seed(commune: Unit, password_hash: str) -> User:
    """The commune admin who shows the QR: a second factor is set up (the
    admin pages ask for one), the session is written like the learners'."""
    trainer, _created = User.objects.get_or_create(
        username=CHECKIN_TRAINER,
        defaults={
            "full_name": "Giảng viên thử tải",
            "password": password_hash,
            "unit": commune,
        },
    )
    AdminRole.objects.get_or_create(
        user=trainer, role=AdminRoleKind.COMMUNE_ADMIN, unit=commune
    )
    if not is_mfa_enabled(trainer, [Authenticator.Type.TOTP]):
        TOTP.activate(trainer, generate_totp_secret())
    return trainer


def checkin_class_seed(*, users: list[User], commune: Unit, trainer: User):
    """One class with every load learner invited and no one present yet. The
    SMS rounds are marked sent: the summons task must not text 500 load
    accounts. The times are set by `checkin_arm` just before the run."""
    now = timezone.now()
    training_class = TrainingClass.objects.filter(
        title=CHECKIN_TITLE, unit=commune
    ).first()
    if training_class is None:
        training_class = TrainingClass.objects.create(
            title=CHECKIN_TITLE,
            course=CoursePage.objects.live().order_by("topic_number").first(),
            kind="in_person",
            place="Hội trường thử tải",
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=2),
            trainer=trainer.full_name,
            capacity=100_000,
            unit=commune,
            created_by=trainer,
            notice_sent_at=now,
            summons_sent_at=now,
        )
    training_class.invited_units.set([commune])
    Invitation.objects.bulk_create(
        [Invitation(training_class=training_class, user=u) for u in users],
        batch_size=2000,
        ignore_conflicts=True,
    )
    Attendance.objects.filter(training_class=training_class).delete()
    TrainingClass.objects.filter(pk=training_class.pk).update(
        cancelled_at=None, notice_sent_at=now, summons_sent_at=now
    )
    return training_class


def checkin_arm(class_id: int, run_start: float) -> None:
    """The class starts as the run does (nobody late) and takes check-ins
    for two hours."""
    starts = datetime.fromtimestamp(run_start, tz=UTC)
    TrainingClass.objects.filter(pk=class_id).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )


def checkin_window(duration: float) -> float:
    """Arrivals spread over the run, less a margin for the last answers."""
    return max(1.0, duration - min(CHECKIN_MARGIN, duration / 4))


def exam_arm(quiz: QuizPage, deadline_epoch: float) -> None:
    """The server's deadline is the common deadline: the test closes then,
    and its time limit is longer than any run, so deadline = closes_at."""
    QuizPage.objects.filter(pk=quiz.pk).update(
        closes_at=datetime.fromtimestamp(deadline_epoch, tz=UTC),
        opens_at=None,
        time_limit=timedelta(hours=3),
        attempts_allowed=0,
        min_minutes_between_attempts=0,
    )
    # An edit outside Wagtail's publish signals: the published test is kept
    # under the page-tree generation (quizzes.live.quiz_live_get), so a
    # new generation makes every worker read the new closing time.
    pages_changed()


def exam_timing(duration: float) -> tuple[float, float]:
    """(start window, deadline offset) in seconds from the start of the run:
    takers start spread over min(5 min, DURATION/3); the common deadline
    leaves a margin before Locust stops so that every taker can submit."""
    window = min(300.0, duration / 3)
    margin = min(60.0, max(8.0, duration / 6))
    return window, duration - margin


def arm(plan_path: Path, duration: float) -> None:
    """Just before Locust starts: the exam's start window and common
    deadline from now, and the login storm's window, into the plan."""
    plan = json.loads(plan_path.read_text())
    window, deadline_offset = exam_timing(duration)
    run_start = time.time() + LOCUST_START_ALLOWANCE
    plan["exam"] = {
        "run_start": run_start,
        "start_window": window,
        "deadline": run_start + deadline_offset,
        # quiz.js submits at a random moment of this after time is up; a
        # short run keeps it inside the margin left after the deadline.
        "submit_spread": min(
            settings.QUIZ_AUTO_SUBMIT_SPREAD_SECONDS, (duration - deadline_offset) / 2
        ),
    }
    # The storm: every learner logs in once, at a moment spread over this.
    plan["login"] = {"window": min(300.0, duration / 2)}
    if plan.get("checkin_class"):
        plan["checkin_class"]["run_start"] = run_start
        plan["checkin_class"]["window"] = checkin_window(duration)
        checkin_arm(plan["checkin_class"]["id"], run_start)
    exam_arm(QuizPage.objects.get(pk=plan["quiz"]["id"]), plan["exam"]["deadline"])
    plan_path.write_text(json.dumps(plan))


def checkin_plan(users: list[User], password_hash: str, plan: dict) -> list[dict]:
    """The check-in scenario's learners (sessions ready) and, in
    plan["checkin_class"], the class and its trainer's session."""
    plan["checkin_class"] = None
    if not users:
        return []
    commune = checkin_units()
    trainer = checkin_trainer_seed(commune, password_hash)
    training_class = checkin_class_seed(users=users, commune=commune, trainer=trainer)
    keys = sessions_seed([*users, trainer])
    plan["checkin_class"] = {
        "id": training_class.pk,
        "state_url": reverse("training_class_qr_state", args=[training_class.pk]),
        "refresh": QR_REFRESH,
        "trainer": {"session": keys[trainer.pk], "csrf": get_random_string(32)},
    }
    return [
        {"user_id": u.pk, "session": keys[u.pk], "csrf": get_random_string(32)}
        for u in users
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("browsers", "viewers", "takers", "storm", "checkin"):
        parser.add_argument(f"--{name}", type=int, default=0)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--arm", action="store_true", help="only set the run's clock in --out"
    )
    args = parser.parse_args()
    if args.arm:
        arm(args.out, args.duration)
        return

    started = time.monotonic()
    content_seed()
    courses = list(CoursePage.objects.live().order_by("topic_number"))
    lessons = {
        c.pk: list(LessonPage.objects.live().child_of(c).order_by("path"))
        for c in courses
    }
    video_course = courses[0]
    video_lesson = lessons[video_course.pk][0]
    media = video_seed(video_lesson)
    quiz = QuizPage.objects.live().child_of(courses[0]).get()

    password_hash = make_password(PASSWORD)
    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "password": PASSWORD,
        "courses": [
            {
                "id": c.pk,
                "url": c.url,
                "lessons": [{"id": le.pk, "url": le.url} for le in lessons[c.pk]],
            }
            for c in courses
        ],
        "video": {
            "media_id": media.pk,
            "lesson_id": video_lesson.pk,
            "lesson_url": video_lesson.url,
            "master_url": settings.MEDIA_URL + media.hls_master,
            "duration": media.duration,
        },
        "quiz": {"id": quiz.pk, "url": quiz.url},
        "static": {
            "page": [static("hocvuso/site.css")],
            "video": [
                static("courses/player.js"),
                static("courses/vendor/hlsjs/hls.light.min.js"),
            ],
            "exam": [static("quizzes/quiz.css"), static("quizzes/quiz.js")],
        },
    }
    for kind in ("browsers", "viewers", "takers", "storm", "checkin"):
        count = getattr(args, kind)
        users = learners_seed(kind, count, password_hash)
        ids = [u.pk for u in users]
        progress_reset(ids)
        consents_seed(users)
        if kind == "storm":
            plan[kind] = [{"username": u.username} for u in users]
            continue
        if kind == "checkin":
            plan[kind] = checkin_plan(users, password_hash, plan)
            continue
        enrol(users, courses if kind == "browsers" else [video_course])
        keys = sessions_seed(users)
        plan[kind] = [
            {"user_id": u.pk, "session": keys[u.pk], "csrf": get_random_string(32)}
            for u in users
        ]
        for n, learner in enumerate(plan[kind]):
            learner["course"] = n % len(courses) if kind == "browsers" else 0
    args.out.write_text(json.dumps(plan))
    counts = ", ".join(f"{k} {len(plan[k])}" for k in PREFIX)
    print(f"seeded in {time.monotonic() - started:.1f} s: {counts} → {args.out}")


if __name__ == "__main__":
    main()
