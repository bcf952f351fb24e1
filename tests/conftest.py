"""Fixtures shared by every suite: the Wagtail site, courses and learners."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from hocvuso.accounts import sms
from hocvuso.accounts.models import User
from hocvuso.accounts.services import consent_give
from hocvuso.core.demo import demo_privacy_notice_seed, demo_site_seed
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.demo import SeedCounts, course_create, demo_catalog_seed
from courses.models import CatalogPage, CoursePage
from quizzes.models import Choice, Question, QuizPage

LESSON_TEXT = "<p>" + " ".join(["Bài học thử nghiệm về kỹ năng số."] * 40) + "</p>"


def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright keeps an event loop running in the main
    thread until the session ends, and async_to_sync refuses to run there."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True, scope="session")
def _no_reference_index():
    """Wagtail rebuilds its reference index (the CMS's "used in" lists) on
    every page save: 11% of a fixture-heavy module's time (the campaigns
    tests), and no test reads it. Pages the live server's threads save still
    update it."""
    with disable_reference_index_auto_update():
        yield


@pytest.fixture(autouse=True)
def _clean_state():
    """Rate-limit counters live in the cache (Redis in CI) and SMS in memory."""
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def course_definition(topic: int, lessons: int, *, in_order: bool = True) -> dict:
    return {
        "topic": topic,
        "slug": f"khoa-hoc-thu-{topic}",
        "title": f"Khóa học thử {topic}",
        "audience": "both",
        "summary": "Khóa học dùng trong kiểm thử.",
        "estimated_minutes": 5 * lessons,
        "objectives": ["Hiểu nội dung thử nghiệm"],
        "lessons_in_order": in_order,
        "lessons": [
            {
                "slug": f"bai-{n}",
                "title": f"Bài {n} của khóa {topic}",
                "summary": "Tóm tắt.",
                "estimated_minutes": 5,
                "body": LESSON_TEXT,
                "key_facts": {"title": "Ghi nhớ", "items": ["Ý thứ nhất", "Ý thứ hai"]},
                "sources": [{"title": "Nguồn thử", "url": "https://example.org/nguon"}],
            }
            for n in range(1, lessons + 1)
        ],
    }


@pytest.fixture
def build_catalog(db):
    """build_catalog(courses=7, lessons=5) → the CatalogPage with that many."""

    def build(*, courses: int, lessons: int, in_order: bool = True) -> CatalogPage:
        home = demo_site_seed()
        demo_catalog_seed(home=home, courses=[])
        catalog = CatalogPage.objects.get()
        counts = SeedCounts()
        for topic in range(1, courses + 1):
            course_create(
                catalog=catalog,
                course=course_definition(topic, lessons, in_order=in_order),
                counts=counts,
            )
        return catalog

    return build


@pytest.fixture
def privacy_notice(db):
    return demo_privacy_notice_seed()


@pytest.fixture
def make_learner(db, privacy_notice):
    counter = iter(range(1, 10_000))

    def make(*, consented: bool = True, **fields) -> User:
        n = next(counter)
        user = User.objects.create_user(
            username=fields.pop("username", f"hocvien{n}"),
            password=fields.pop("password", "Matkhau@2025"),
            phone=fields.pop("phone", f"+8490{n:07d}"),
            phone_verified=fields.pop("phone_verified", True),
            full_name=fields.pop("full_name", f"Học viên {n}"),
            **fields,
        )
        if consented:
            consent_give(user=user, notice=privacy_notice)
        return user

    return make


@pytest.fixture
def learner(make_learner):
    return make_learner()


def add_question(
    course, *, kind="single", n_choices=4, correct=(0,), partial=False, tag=""
):
    question = Question(
        course=course,
        kind=kind,
        text=f"Câu hỏi thử {Question.objects.count() + 1}?",
        explanation="Vì đó là đáp án đúng.",
        partial_credit=partial,
        tags=tag,
    )
    question.choices = [
        Choice(text=f"Lựa chọn {i + 1}", correct=i in correct, sort_order=i)
        for i in range(n_choices)
    ]
    question.save()
    return question


@pytest.fixture
def make_quiz(build_catalog):
    """make_quiz(questions=12, draw=10, time_limit=timedelta(minutes=15), **settings)."""

    def make(*, questions: int = 12, draw: int = 10, **fields) -> QuizPage:
        if not CoursePage.objects.exists():
            build_catalog(courses=1, lessons=2)
        course = CoursePage.objects.order_by("path").first()
        for i in range(questions):
            add_question(
                course,
                kind="multiple" if i % 4 == 3 else "single",
                correct=(0, 2) if i % 4 == 3 else (i % 4,),
            )
        fields.setdefault("time_limit", timedelta(minutes=15))
        quiz = QuizPage(
            title="Bài kiểm tra cuối khóa",
            slug=f"kiem-tra-{QuizPage.objects.count()}",
            question_count=draw,
            **fields,
        )
        course.add_child(instance=quiz)
        quiz.save_revision().publish()
        return quiz

    return make


@pytest.fixture
def real_broker():
    """Celery sends tasks to the Redis broker for a real worker
    (tests/real_worker.py) instead of running them in the test."""
    from hocvuso.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.task_always_eager = eager
