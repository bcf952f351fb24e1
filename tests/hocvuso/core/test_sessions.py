"""hocvuso.core.sessions: Django's cached_db sessions, read with the page
tree's generation and the privacy notice's id in one cache round trip."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import cache
from hocvuso.core import sessions
from hocvuso.core.page_state_handler import PAGE_STATE_PATH
from redis.client import Redis

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_create

from ..test_page_state_handler import _client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "writer, reader",
    [(cached_db, sessions), (sessions, cached_db)],
    ids=["deployed", "rolled back"],
)
def test_sessions_survive_a_change_of_engine(writer, reader):
    written = writer.SessionStore()
    written["learner"] = "hocvien1"
    written.create()
    assert reader.SessionStore(written.session_key)["learner"] == "hocvien1"
    cache.clear()  # and from the database
    assert reader.SessionStore(written.session_key)["learner"] == "hocvien1"


@pytest.fixture
def redis_commands(monkeypatch):
    sent = []
    send = Redis.execute_command

    def counted(client, *args, **options):
        sent.append(args[0])
        return send(client, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counted)
    return sent


@pytest.mark.django_db
@pytest.mark.skipif(
    "RedisCache" not in settings.CACHES["default"]["BACKEND"],
    reason="counts Redis round trips (REDIS_URL)",
)
def test_a_lesson_state_viewed_again_is_one_redis_round_trip(
    build_catalog, make_learner, redis_commands
):
    """The session, the page tree's generation and the notice's id: one
    MGET (they were three GETs)."""
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    learner = make_learner()
    enrolment_create(user=learner, course=course)
    client = _client(lean=True)
    client.force_login(learner)
    url = f"{PAGE_STATE_PATH}?page={lesson.pk}"
    assert client.get(url).status_code == 200
    redis_commands.clear()
    response = client.get(url)
    assert response.status_code == 200 and response.json()["redirect"] is None
    assert redis_commands == ["MGET"]
