"""The consent gate (Law 91/2025) holds for the JSON API as for the pages: a
learner who has not agreed to the notice in force cannot start, answer or
submit a test, and is told so in Vietnamese (the API's {"detail": …})."""

import pytest
from django.utils import timezone
from hocvuso.accounts.models import PrivacyNotice

from quizzes.models import Answer, Attempt

from .test_attempt_lifecycle import autosave, start, submit

pytestmark = pytest.mark.django_db

REFUSAL = "Bạn cần đồng ý với thông báo xử lý dữ liệu cá nhân trước khi học và làm bài."


def test_a_learner_who_never_consented_cannot_start_a_test(
    client, make_learner, make_quiz
):
    quiz = make_quiz()
    client.force_login(make_learner(consented=False))
    response = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": REFUSAL, "consent_url": "/tai-khoan/dong-y/"}
    assert not Attempt.objects.exists()


def test_a_new_notice_stops_answering_and_submitting_until_agreed(
    client, learner, make_quiz
):
    quiz = make_quiz()
    client.force_login(learner)
    attempt = start(client, quiz)
    question = attempt["questions"][0]
    PrivacyNotice.objects.create(
        version="2.0",
        title="Thông báo mới",
        body="<p>Mới</p>",
        published_at=timezone.now(),
    )

    answered = autosave(client, attempt["id"], question["id"], [], 1)
    submitted = submit(client, attempt["id"], [])
    read = client.get(f"/api/attempts/{attempt['id']}")

    for response in (answered, submitted, read):
        assert response.status_code == 403
        assert response.json()["detail"] == REFUSAL
    assert not Answer.objects.exists()
    assert Attempt.objects.get().status == "open"

    client.post("/tai-khoan/dong-y/", {"agree": "on", "next": "/"})
    assert autosave(client, attempt["id"], question["id"], [], 1).status_code == 200


def test_lesson_heartbeat_follows_the_same_gate(client, make_learner):
    client.force_login(make_learner(consented=False))
    response = client.post(
        "/api/media/heartbeat",
        {"media_id": 1, "lesson_id": 1, "position": 1, "watched": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == REFUSAL


def test_the_schema_documents_the_refusal(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, method in [
        ("/api/attempts", "post"),
        ("/api/attempts/{attempt_id}", "get"),
        ("/api/attempts/{attempt_id}/answers/{question_id}", "put"),
        ("/api/attempts/{attempt_id}/submit", "post"),
        ("/api/attempts/{attempt_id}/result", "get"),
    ]:
        refusal = paths[path][method]["responses"]["403"]
        schema = refusal["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ConsentRequiredOut"), path
