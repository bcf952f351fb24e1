"""The default review policy does not give the test away: between attempts a
learner sees a score and which questions were wrong, the keys only once no
attempt is left (issue 14, item 10)."""

import pytest

from quizzes.models import Choice

from .conftest import correct_choices

pytestmark = pytest.mark.django_db
EXPLANATION = "Vì đó là đáp án đúng."


def _take(client, quiz, *, right: int) -> dict:
    attempt = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    ).json()
    answers = []
    for i, question in enumerate(attempt["questions"]):
        qid = question["id"]
        keys = correct_choices(attempt, qid)
        wrong = list(
            Choice.objects.filter(question_id=qid)
            .exclude(pk__in=keys)
            .values_list("pk", flat=True)[:1]
        )
        answers.append(
            {"question_id": qid, "choice_ids": keys if i < right else wrong, "seq": 1}
        )
    result = client.post(
        f"/api/attempts/{attempt['id']}/submit",
        {"answers": answers},
        content_type="application/json",
    ).json()
    result["page"] = client.get(result["result_url"]).content.decode()
    return result


def test_the_default_review_policy_does_not_give_the_test_away(
    client, learner, make_quiz
):
    quiz = make_quiz(questions=18, draw=10)  # 3 attempts, the default
    client.force_login(learner)
    first = _take(client, quiz, right=6)
    assert first["score_percent"] == 60
    assert first["review_allowed"] is False and first["review"] == []
    assert EXPLANATION not in first["page"]
    assert "✓" not in first["page"]
    # ...but the learner learns which questions they got wrong.
    assert [o["points"] for o in first["outcomes"]] == [1.0] * 6 + [0.0] * 4
    assert first["page"].count('data-outcome="wrong"') == 4
    assert first["page"].count('data-outcome="right"') == 6

    second = _take(client, quiz, right=3)
    assert second["review"] == [] and EXPLANATION not in second["page"]
    last = _take(client, quiz, right=3)  # no attempt left: now the keys
    assert last["review_allowed"] is True and last["review"]
    assert EXPLANATION in last["page"]
    earlier = client.get(first["result_url"]).content.decode()
    assert EXPLANATION in earlier


def test_editors_are_warned_when_the_bank_is_smaller_than_three_times_the_draw(
    client, make_learner, make_quiz
):
    small = make_quiz(questions=18, draw=10)
    roomy = make_quiz(questions=0, draw=6)  # same course: 18 questions
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    warning = "Ngân hàng có 18 câu hỏi cho 10 câu mỗi lượt"
    assert warning in client.get(f"/cms/pages/{small.pk}/edit/").content.decode()
    page = client.get(f"/cms/pages/{roomy.pk}/edit/").content.decode()
    assert "Ngân hàng có 18 câu hỏi" not in page
