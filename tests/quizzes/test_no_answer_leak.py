"""No API response carries a correct answer or an explanation before the
attempt is submitted (DESIGN §5, invariant 3): every endpoint in the schema."""

import json
import re

import pytest

from quizzes.models import Choice

pytestmark = pytest.mark.django_db
FORBIDDEN_KEYS = {"correct", "explanation", "is_correct", "review"}


def _walk_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _walk_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk_keys(inner)


def test_every_endpoint_hides_answers_until_submission(client, make_quiz, learner):
    # The most open policy, so that the keys do appear once submitted.
    quiz = make_quiz(review_policy="after_submit")
    client.force_login(learner)
    schema = client.get("/api/openapi.json").json()
    attempt = client.post(
        "/api/attempts", {"quiz_id": quiz.pk}, content_type="application/json"
    ).json()
    question = attempt["questions"][0]
    explanations = set(Choice.objects.values_list("question__explanation", flat=True))
    values = {"attempt_id": attempt["id"], "question_id": question["id"]}
    bodies = {
        "/api/attempts": {"quiz_id": quiz.pk},
        "/api/attempts/{attempt_id}/answers/{question_id}": {
            "choice_ids": [question["choices"][0]["id"]],
            "seq": 1,
        },
    }
    called = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if path.endswith("/submit"):
                continue  # submitting ends the attempt: checked last
            url = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
            response = client.generic(
                method.upper(),
                url,
                json.dumps(bodies.get(path, {})),
                content_type="application/json",
            )
            called.append((method, path, response.status_code))
            assert response.status_code < 500
            payload = response.json()
            assert not FORBIDDEN_KEYS & set(_walk_keys(payload)), (path, payload)
            assert not any(e in response.content.decode() for e in explanations), path
    assert {p for _m, p, _s in called} >= {
        "/api/attempts",
        "/api/attempts/{attempt_id}",
        "/api/attempts/{attempt_id}/answers/{question_id}",
        "/api/attempts/{attempt_id}/result",
    }
    page = client.get(f"/kiem-tra/lam-bai/{attempt['id']}/").content.decode()
    assert not any(e in page for e in explanations)
    assert "correct" not in page.lower()

    submitted = client.post(
        f"/api/attempts/{attempt['id']}/submit",
        {"answers": []},
        content_type="application/json",
    ).json()
    assert submitted["review"] and "correct" in submitted["review"][0]
