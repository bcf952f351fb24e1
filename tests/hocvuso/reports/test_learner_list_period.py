"""Issue 24, finding 4: the learner list follows the period its header
shows, its best score for a programme is the figure the table averages, and
a learner who took the test without opening a lesson is not "Chưa bắt đầu"."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.orgunits.services import village_create
from hocvuso.reports import maintained

from courses.models import CourseCompletion, Enrolment, ProgrammeCompletion
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db

Q3 = timezone.make_aware(datetime(2026, 8, 10, 9))
Q4 = timezone.make_aware(datetime(2026, 11, 10, 9))


def _attempt(user, dataset, course, score, at):
    Attempt.objects.create(
        user=user,
        quiz=dataset.quiz,
        course=course,
        started_at=at,
        deadline=at + timedelta(minutes=15),
        status="finished",
        finished_at=at + timedelta(minutes=5),
        score_percent=score,
        passed=score >= 60,
    )
    # Written directly, as history: the report's figures follow as a
    # service's write would make them.
    maintained.learners_refresh(user_ids=[user.pk])


@pytest.fixture
def alone(client, org_tree, dataset):
    """One learner in a village of their own, enrolled in both courses."""
    village = village_create(
        commune=org_tree.communes[0], name="Thôn Riêng", kind="thôn"
    )
    user = User.objects.create_user(
        username="rieng", full_name="Người Riêng", unit=village
    )
    for course in dataset.courses:
        Enrolment.objects.create(
            user=user, course=course, enrolled_at=Q3, last_activity_at=Q3
        )
    client.force_login(org_tree.admins["commune0.0"])

    def get(name, subject, **extra):
        query = urlencode({"subject": subject, "audience": "", **extra})
        return client.get(reverse(name, args=[village.code]) + "?" + query).context

    return user, get


def test_learner_list_follows_the_period(dataset, alone):
    user, get = alone
    CourseCompletion.objects.create(
        user=user, course=dataset.courses[0], completed_at=Q4
    )
    _attempt(user, dataset, dataset.courses[0], 80, Q4)
    subject = f"course:{dataset.courses[0].pk}"
    q3 = get("report_learners", subject, quarter="2026-Q3")["rows"][0]
    q4 = get("report_learners", subject, quarter="2026-Q4")["rows"][0]
    assert (q3.status, q3.best_score) == ("not_started", None)
    assert (q4.status, q4.best_score) == ("completed", 80)


def test_programme_best_score_is_the_figure_the_table_averages(dataset, alone):
    user, get = alone
    first, second = dataset.courses
    _attempt(user, dataset, first, 90, Q3)
    _attempt(user, dataset, first, 40, Q3)
    _attempt(user, dataset, second, 60, Q3)
    subject = f"programme:{dataset.programme.pk}"
    row = get("report_learners", subject)["rows"][0]
    table = get("report_unit", subject)["report"].total.figures.average_score
    assert row.best_score == pytest.approx(75.0)
    assert table == pytest.approx(75.0)


def test_a_learner_who_only_took_the_test_is_not_not_started(dataset, alone):
    user, get = alone
    _attempt(user, dataset, dataset.courses[0], 100, Q3)
    row = get("report_learners", f"course:{dataset.courses[0].pk}")["rows"][0]
    assert row.status != "not_started"
    assert row.best_score == 100
    ProgrammeCompletion.objects.create(
        user=user, programme=dataset.programme, completed_at=Q3
    )
    row = get("report_learners", f"programme:{dataset.programme.pk}")["rows"][0]
    assert row.status == "completed"
