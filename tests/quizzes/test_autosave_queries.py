"""An autosave is one SQL statement on PostgreSQL: it checks the attempt
(the learner's, open, the choices its question's) and upserts the answer in
one go; the session comes from the cache and the user is never loaded.
SQLite, which has no data-modifying WITH, reads the attempt first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.services import attempt_start

pytestmark = pytest.mark.django_db


def test_autosave_costs_one_statement(client, make_quiz, learner):
    attempt = attempt_start(user=learner, quiz=make_quiz())
    client.force_login(learner)
    # The attempt page, as a learner opens it: the session is now in the cache
    # and remembers the consent the API checks.
    assert client.get(f"/kiem-tra/lam-bai/{attempt.pk}/").status_code == 200
    qid = attempt.question_ids[0]
    choice = attempt.choice_order[str(qid)][0]
    with CaptureQueriesContext(connection) as captured:
        response = client.put(
            f"/api/attempts/{attempt.pk}/answers/{qid}",
            {"choice_ids": [choice], "seq": 1},
            content_type="application/json",
        )
    assert response.status_code == 200 and response.json()["saved"]
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2), (
        statements
    )
