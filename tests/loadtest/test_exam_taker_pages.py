"""The load test's exam-taker starts and reads a test as the phone does: the
quiz page's "Bắt đầu" form, then the questions off the attempt's page. What it
reads must be what the site serves, or its autosaves would be refused."""

import pytest

from loadtest.loadkit.quiz_page import attempt_id_in, questions_in

pytestmark = pytest.mark.django_db


def test_the_taker_reads_the_attempt_and_its_questions_as_served(
    client, make_quiz, learner
):
    quiz = make_quiz()
    client.force_login(learner)
    started = client.post(f"/kiem-tra/bat-dau/{quiz.pk}/")
    assert started.status_code == 302
    attempt_id = attempt_id_in(started["Location"])
    assert attempt_id is not None
    page = client.get(f"/kiem-tra/lam-bai/{attempt_id}/")
    assert page.status_code == 200
    served = client.get(f"/api/attempts/{attempt_id}").json()["questions"]
    assert questions_in(page.content.decode()) == [
        {"id": q["id"], "choices": [{"id": c["id"]} for c in q["choices"]]}
        for q in served
    ]
    assert len(served) == 10


def test_a_refused_start_names_no_attempt(client, make_quiz, learner):
    quiz = make_quiz(attempts_allowed=1)
    client.force_login(learner)
    first = attempt_id_in(client.post(f"/kiem-tra/bat-dau/{quiz.pk}/")["Location"])
    client.post(
        f"/api/attempts/{first}/submit",
        {"answers": []},
        content_type="application/json",
    )
    refused = client.post(f"/kiem-tra/bat-dau/{quiz.pk}/")
    assert refused.status_code == 302
    assert attempt_id_in(refused["Location"]) is None
