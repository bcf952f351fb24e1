"""Extra time granted to a commune reaches the open attempts of that
commune's learners over the websocket, and no one else's."""

from datetime import datetime, timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing.websocket import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from hocvuso.asgi import application
from hocvuso.orgunits.models import Unit

from quizzes.models import Attempt
from quizzes.services import attempt_start, extra_time_grant

pytestmark = pytest.mark.django_db(transaction=True)


def _units():
    province = Unit.add_root(
        code="51", name="Tỉnh Quảng Ngãi", level="province", kind="tỉnh"
    )
    commune_a = province.add_child(
        code="21025", name="Phường Cẩm Thành", level="commune", kind="phường"
    )
    province.refresh_from_db()
    commune_b = province.add_child(
        code="21548", name="Đặc khu Lý Sơn", level="commune", kind="đặc khu"
    )
    village_a = commune_a.add_child(
        code="21025-01", name="Tổ dân phố 1", level="village", kind="tổ dân phố"
    )
    return commune_a, village_a, commune_b


def _socket(user, attempt) -> WebsocketCommunicator:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return WebsocketCommunicator(
        application,
        f"/ws/attempts/{attempt.pk}/",
        headers=[
            (b"cookie", cookie.encode()),
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
        ],
    )


def test_extra_time_reaches_the_commune_and_no_one_else(make_quiz, make_learner):
    quiz = make_quiz(attempts_allowed=0)
    commune_a, village_a, commune_b = _units()
    in_commune = make_learner(unit=commune_a)
    in_village = make_learner(unit=village_a)
    elsewhere = make_learner(unit=commune_b)
    attempts = {
        u.pk: attempt_start(user=u, quiz=quiz)
        for u in (in_commune, in_village, elsewhere)
    }
    admin = make_learner(is_staff=True)

    async def scenario():
        sockets = {}
        for user in (in_commune, in_village, elsewhere):
            socket = await sync_to_async(_socket)(user, attempts[user.pk])
            connected, _ = await socket.connect()
            assert connected
            sockets[user.pk] = socket
        changed = await sync_to_async(extra_time_grant)(
            quiz=quiz, minutes=10, unit=commune_a, granted_by=admin, reason="Mất điện"
        )
        assert sorted(changed) == sorted(
            [attempts[in_commune.pk].pk, attempts[in_village.pk].pk]
        )
        for user in (in_commune, in_village):
            message = await sockets[user.pk].receive_json_from(timeout=5)
            expected = attempts[user.pk].deadline + timedelta(minutes=10)
            assert message == {"type": "deadline", "deadline": expected.isoformat()}
        assert await sockets[elsewhere.pk].receive_nothing(timeout=1)
        for socket in sockets.values():
            await socket.disconnect()

    async_to_sync(scenario)()
    assert (
        Attempt.objects.get(user=elsewhere).deadline == attempts[elsewhere.pk].deadline
    )


def test_a_socket_for_someone_elses_attempt_is_refused(make_quiz, make_learner):
    quiz = make_quiz()
    owner, intruder = make_learner(), make_learner()
    attempt = attempt_start(user=owner, quiz=quiz)

    async def scenario():
        socket = await sync_to_async(_socket)(intruder, attempt)
        connected, code = await socket.connect()
        assert not connected and code == 4403

    async_to_sync(scenario)()


def test_autosave_response_carries_the_new_deadline(client, make_quiz, learner):
    quiz = make_quiz()
    attempt = attempt_start(user=learner, quiz=quiz)
    extra_time_grant(quiz=quiz, minutes=5, user=learner, granted_by=None)
    client.force_login(learner)
    qid = attempt.question_ids[0]
    response = client.put(
        f"/api/attempts/{attempt.pk}/answers/{qid}",
        {"choice_ids": [], "seq": 1},
        content_type="application/json",
    )
    returned = datetime.fromisoformat(response.json()["deadline"])
    assert abs(returned - (attempt.deadline + timedelta(minutes=5))) < timedelta(
        milliseconds=1
    )
