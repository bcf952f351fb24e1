"""Prepare learners with logged-in sessions and open attempts for the
autosave benchmark; writes their credentials for Locust to a JSON file.

Run with the benchmark's production settings:  python loadtest/autosave/seed.py USERS OUT.json
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import django

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from hocvuso.accounts.models import User  # noqa: E402
from hocvuso.core.demo import demo_site_seed  # noqa: E402

from courses.demo import SeedCounts, course_create, demo_catalog_seed  # noqa: E402
from courses.models import CatalogPage, CoursePage  # noqa: E402
from quizzes.demo import demo_quiz_create, quiz_definitions_load  # noqa: E402
from quizzes.models import QuizPage  # noqa: E402
from quizzes.services import attempt_start  # noqa: E402


def quiz_get() -> QuizPage:
    quiz = QuizPage.objects.filter(slug="bai-kiem-tra").first()
    if quiz:
        return quiz
    home = demo_site_seed()
    demo_catalog_seed(home=home, courses=[])
    catalog = CatalogPage.objects.get()
    definition = json.loads((REPO / "courses/demo_content/topic-3.json").read_text())
    course = course_create(catalog=catalog, course=definition, counts=SeedCounts())
    demo_quiz_create(course=course, definition=quiz_definitions_load()[3])
    quiz = QuizPage.objects.get(slug="bai-kiem-tra")
    # Long enough for any benchmark run; no attempt may close mid-run.
    quiz.time_limit = timedelta(hours=3)
    quiz.attempts_allowed = 0
    quiz.save()
    return quiz


def main(count: int, out: Path) -> None:
    quiz = quiz_get()
    CoursePage.objects.get(pk=quiz.get_parent().pk)
    takers = []
    for n in range(count):
        user, _ = User.objects.get_or_create(
            username=f"bench{n:05d}",
            defaults={"phone": f"+8491{n:07d}", "full_name": f"Học viên thử tải {n}"},
        )
        attempt = attempt_start(user=user, quiz=quiz)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        takers.append(
            {
                "session": session.session_key,
                "csrf": get_random_string(32),
                "attempt": attempt.pk,
                "questions": {
                    str(q): attempt.choice_order[str(q)] for q in attempt.question_ids
                },
            }
        )
    out.write_text(
        json.dumps({"session_cookie": settings.SESSION_COOKIE_NAME, "takers": takers})
    )
    print(f"{count} learners with open attempts → {out}")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
