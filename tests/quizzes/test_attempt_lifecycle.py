"""Start → read → autosave → submit → result through the JSON API, and the
clock rules around the deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes.models import Answer, Attempt
from quizzes.services import attempts_overdue_finish

from .conftest import correct_choices, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def taker(client, learner):
    client.force_login(learner)
    return client


def start(client, quiz) -> dict:
    response = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def autosave(client, attempt_id, question_id, choice_ids, seq):
    return client.put(
        f"/api/attempts/{attempt_id}/answers/{question_id}",
        {"choice_ids": choice_ids, "seq": seq},
        content_type="application/json",
    )


def submit(client, attempt_id, answers):
    return client.post(
        f"/api/attempts/{attempt_id}/submit",
        {"answers": answers},
        content_type="application/json",
    )


def test_start_twice_gives_the_same_open_attempt(taker, make_quiz):
    quiz = make_quiz()
    first, second = start(taker, quiz), start(taker, quiz)
    assert first["id"] == second["id"]
    assert len(first["questions"]) == 10
    assert 14 * 60 < first["remaining_seconds"] <= 15 * 60
    assert Attempt.objects.count() == 1


def test_autosave_keeps_the_newest_sequence(taker, make_quiz):
    quiz = make_quiz()
    attempt = start(taker, quiz)
    question = attempt["questions"][0]
    a, b = question["choices"][0]["id"], question["choices"][1]["id"]
    assert (
        autosave(taker, attempt["id"], question["id"], [a], 5).json()["saved"] is True
    )
    stale = autosave(taker, attempt["id"], question["id"], [b], 4)
    assert stale.status_code == 200 and stale.json()["saved"] is False
    again = autosave(taker, attempt["id"], question["id"], [a], 5)  # a retry of #5
    assert again.json()["saved"] is False
    stored = Answer.objects.get()
    assert (stored.choice_ids, stored.seq) == ([a], 5)
    read = taker.get(f"/api/attempts/{attempt['id']}").json()
    assert read["answers"] == [
        {"question_id": question["id"], "choice_ids": [a], "seq": 5}
    ]


def test_autosave_refuses_foreign_questions_and_choices(taker, make_quiz):
    quiz = make_quiz(questions=12, draw=3)
    attempt = start(taker, quiz)
    drawn = {q["id"] for q in attempt["questions"]}
    other = next(
        q
        for q in Attempt.objects.get()
        .quiz.specific.get_parent()
        .specific.questions.all()
        if q.pk not in drawn
    )
    response = autosave(taker, attempt["id"], other.pk, [other.choices.first().pk], 1)
    assert response.status_code == 422
    assert response.json()["detail"] == "Câu hỏi này không thuộc bài làm của bạn."
    question = attempt["questions"][0]
    response = autosave(
        taker, attempt["id"], question["id"], [other.choices.first().pk], 1
    )
    assert response.json()["detail"] == "Đáp án không thuộc câu hỏi này."
    assert not Answer.objects.exists()


def test_autosave_refuses_a_choice_of_the_attempts_other_question(taker, make_quiz):
    attempt = start(taker, make_quiz())
    first, second = attempt["questions"][:2]
    mixed = [first["choices"][0]["id"], second["choices"][0]["id"]]
    response = autosave(taker, attempt["id"], first["id"], mixed, 1)
    assert response.status_code == 422
    assert response.json()["detail"] == "Đáp án không thuộc câu hỏi này."
    assert not Answer.objects.exists()
    # Clearing an answer (no choice) is an answer too.
    cleared = autosave(taker, attempt["id"], first["id"], [], 2)
    assert cleared.status_code == 200 and cleared.json()["saved"] is True
    assert Answer.objects.get().choice_ids == []


def test_submit_grades_on_the_server_and_is_idempotent(taker, make_quiz):
    quiz = make_quiz(review_policy="after_submit")
    attempt = start(taker, quiz)
    model = Attempt.objects.get()
    answers = []
    for n, q in enumerate(attempt["questions"]):
        chosen = (
            correct_choices(model, q["id"]) if n < 7 else wrong_choice(model, q["id"])
        )
        answers.append({"question_id": q["id"], "choice_ids": chosen, "seq": 1})
    response = submit(taker, attempt["id"], answers)
    assert response.status_code == 200
    result = response.json()
    assert (result["score_percent"], result["passed"], result["status"]) == (
        70.0,
        True,
        "finished",
    )
    assert len(result["review"]) == 10 and result["review"][0]["explanation"]
    again = submit(taker, attempt["id"], [])
    assert again.json()["score_percent"] == 70.0
    assert Attempt.objects.get().finish_reason == "submitted"


def test_answers_after_deadline_plus_grace_are_refused(taker, make_quiz):
    quiz = make_quiz()
    attempt = start(taker, quiz)
    q = attempt["questions"][0]
    Attempt.objects.update(deadline=timezone.now() - timedelta(seconds=30))
    inside_grace = autosave(taker, attempt["id"], q["id"], [q["choices"][0]["id"]], 1)
    assert inside_grace.status_code == 200
    Attempt.objects.update(deadline=timezone.now() - timedelta(seconds=61))
    late = autosave(taker, attempt["id"], q["id"], [q["choices"][1]["id"]], 2)
    assert late.status_code == 409
    assert late.json()["detail"].startswith("Đã hết giờ làm bài lúc")
    assert Answer.objects.get().seq == 1


def test_submit_inside_grace_is_accepted_and_after_it_refused(taker, make_quiz):
    quiz = make_quiz()
    first = start(taker, quiz)
    Attempt.objects.update(deadline=timezone.now() - timedelta(seconds=50))
    response = submit(taker, first["id"], [])
    assert response.status_code == 200
    finished = Attempt.objects.get(pk=first["id"])
    assert (
        finished.finish_reason == "submitted"
        and finished.finished_at == finished.deadline
    )

    second = start(taker, quiz)
    q = second["questions"][0]
    autosave(taker, second["id"], q["id"], [q["choices"][0]["id"]], 1)
    Attempt.objects.filter(pk=second["id"]).update(
        deadline=timezone.now() - timedelta(seconds=120)
    )
    late = submit(
        taker, second["id"], [{"question_id": q["id"], "choice_ids": [], "seq": 9}]
    )
    assert late.status_code == 409
    assert "Đã quá giờ nộp bài" in late.json()["detail"]
    closed = Attempt.objects.get(pk=second["id"])
    assert closed.status == "finished" and closed.finish_reason == "timed_out"
    assert Answer.objects.get(attempt=closed).seq == 1  # the late set changed nothing


def test_overdue_sweep_uses_the_last_autosave_and_ends_at_the_deadline(
    taker, make_quiz
):
    quiz = make_quiz()
    attempt = start(taker, quiz)
    model = Attempt.objects.get()
    q = attempt["questions"][0]
    autosave(taker, attempt["id"], q["id"], wrong_choice(model, q["id"]), 1)
    autosave(taker, attempt["id"], q["id"], correct_choices(model, q["id"]), 2)
    deadline = timezone.now() - timedelta(minutes=5)
    Attempt.objects.update(deadline=deadline)
    assert attempts_overdue_finish() == 1
    swept = Attempt.objects.get()
    assert swept.status == "finished" and swept.finish_reason == "timed_out"
    assert swept.finished_at == deadline
    assert swept.points == 1 and swept.score_percent == 10.0
    assert attempts_overdue_finish() == 0


def test_an_overdue_attempt_is_finished_lazily_on_read(taker, make_quiz):
    attempt = start(taker, make_quiz())
    Attempt.objects.update(deadline=timezone.now() - timedelta(minutes=5))
    read = taker.get(f"/api/attempts/{attempt['id']}").json()
    assert read["status"] == "finished"


def test_attempt_limits_and_waiting_time(taker, make_quiz):
    quiz = make_quiz(attempts_allowed=2, min_minutes_between_attempts=30)
    first = start(taker, quiz)
    submit(taker, first["id"], [])
    refused = taker.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    )
    assert (
        refused.status_code == 409
        and "Bạn có thể làm lại từ" in refused.json()["detail"]
    )
    Attempt.objects.update(finished_at=timezone.now() - timedelta(minutes=31))
    second = start(taker, quiz)
    submit(taker, second["id"], [])
    Attempt.objects.update(finished_at=timezone.now() - timedelta(minutes=31))
    refused = taker.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    )
    assert refused.json()["detail"] == "Bạn đã dùng hết 2 lượt làm bài."


def test_someone_elses_attempt_is_not_found(client, make_quiz, make_learner):
    quiz = make_quiz()
    owner, intruder = make_learner(), make_learner()
    client.force_login(owner)
    attempt = start(client, quiz)
    client.force_login(intruder)
    q = attempt["questions"][0]
    assert client.get(f"/api/attempts/{attempt['id']}").status_code == 404
    assert autosave(client, attempt["id"], q["id"], [], 1).status_code == 404
    assert submit(client, attempt["id"], []).status_code == 404
    assert client.get(f"/kiem-tra/lam-bai/{attempt['id']}/").status_code == 404


def test_anonymous_calls_are_refused(client, make_quiz):
    quiz = make_quiz()
    response = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("policy", "closes_in", "shown"),
    [
        ("after_submit", None, True),
        ("after_last", None, False),
        ("never", None, False),
        ("after_close", timedelta(hours=1), False),
    ],
)
def test_review_follows_the_quiz_policy(taker, make_quiz, policy, closes_in, shown):
    quiz = make_quiz(
        review_policy=policy,
        closes_at=timezone.now() + closes_in if closes_in else None,
    )
    attempt = start(taker, quiz)
    result = submit(taker, attempt["id"], []).json()
    assert result["review_allowed"] is shown
    assert bool(result["review"]) is shown
    page = taker.get(f"/kiem-tra/ket-qua/{attempt['id']}/").content.decode()
    assert ("Vì đó là đáp án đúng." in page) is shown


def test_numbers_that_overflow_answer_4xx_not_500(taker, make_quiz):
    quiz = make_quiz()
    attempt = start(taker, quiz)
    question = attempt["questions"][0]
    choice = question["choices"][0]["id"]
    response = autosave(taker, attempt["id"], question["id"], [choice], 2**63)
    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu gửi lên không hợp lệ."
    response = submit(
        taker,
        attempt["id"],
        [{"question_id": question["id"], "choice_ids": [choice], "seq": 2**63}],
    )
    assert response.status_code == 422
    response = autosave(taker, attempt["id"], question["id"], [10**20], 1)
    assert response.status_code == 422
    assert taker.get(f"/api/attempts/{10**20}").status_code == 422
    assert not Answer.objects.exists()
    assert Attempt.objects.get().status == "open"


def test_the_plain_form_submit_with_odd_digits_answers_without_a_500(taker, make_quiz):
    quiz = make_quiz()
    attempt = start(taker, quiz)
    qid = attempt["questions"][0]["id"]
    response = taker.post(
        f"/kiem-tra/lam-bai/{attempt['id']}/nop/", {f"q{qid}": ["²", str(10**20)]}
    )
    assert response.status_code == 302
    assert Attempt.objects.get().status == "open"  # refused, nothing graded
    assert not Answer.objects.exists()


def test_the_deadline_is_compared_as_a_moment_whatever_its_time_zone(taker, make_quiz):
    """The answer statement is raw SQL: a moment given in Vietnam's time
    (+07:00) must compare with the stored deadline as a moment, not as the
    text of a date (SQLite stores UTC text)."""
    from zoneinfo import ZoneInfo

    from quizzes.answers_sql import answer_upsert

    attempt = start(taker, make_quiz())
    deadline = Attempt.objects.get(pk=attempt["id"]).deadline
    question = attempt["questions"][0]
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")

    def store(*, earliest_deadline, seq):
        return answer_upsert(
            attempt_id=attempt["id"],
            question_id=question["id"],
            choice_ids=[question["choices"][0]["id"]],
            seq=seq,
            saved_at=timezone.now().astimezone(vietnam),
            earliest_deadline=earliest_deadline.astimezone(vietnam),
        )

    # One minute before the deadline it is open; one minute after, closed.
    assert store(earliest_deadline=deadline - timedelta(minutes=1), seq=1)
    assert not store(earliest_deadline=deadline + timedelta(minutes=1), seq=2)
    assert Answer.objects.get(attempt_id=attempt["id"]).seq == 1
