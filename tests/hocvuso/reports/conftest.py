"""A generated activity dataset over the org_tree fixture: learners in
communes and villages of both provinces, enrolments, assignments to a unit
and to a team, opened lessons, attempts and completions spread over 2026.
Rows are bulk-created so 10,000 learners stay quick."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from hocvuso.accounts.models import LearnerType, User
from hocvuso.orgunits.models import Assignment, TeamMembership
from hocvuso.reports import maintained

from courses.models import Audience as CourseAudience
from courses.models import (
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgrammeCompletion,
    ProgrammeCourse,
    ProgrammePage,
)
from quizzes.models import Attempt

YEAR_START = timezone.make_aware(datetime(2026, 1, 1))


@dataclass
class Dataset:
    courses: list
    programme: ProgrammePage
    quiz: object


def _when(rng) -> datetime:
    return YEAR_START + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))


@pytest.fixture
def catalog_and_quiz(org_tree, build_catalog, make_quiz):
    catalog = build_catalog(courses=2, lessons=2)
    quiz = make_quiz(questions=2, draw=2)
    courses = list(CoursePage.objects.order_by("topic_number"))
    programme = ProgrammePage(
        title="Chương trình thử",
        slug="chuong-trinh-thu",
        audience=CourseAudience.BOTH,
        summary="Hai khóa.",
    )
    programme.programme_courses = [
        ProgrammeCourse(course=c, sort_order=i) for i, c in enumerate(courses)
    ]
    catalog.add_child(instance=programme)
    programme.save_revision().publish()
    return Dataset(courses=courses, programme=programme, quiz=quiz)


def generate_learners(org_tree, data: Dataset, *, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    units = org_tree.communes + org_tree.villages
    password = make_password("Matkhau@2025")
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                username=f"hv{start + i}",
                password=password,
                full_name=f"Học viên {start + i:05d}",
                phone=f"+8491{start + i:07d}",
                unit=rng.choice(units),
                learner_type=rng.choice(list(LearnerType.values)),
            )
            for i in range(n)
        ]
    )
    courses = data.courses
    lessons = {c.pk: list(LessonPage.objects.child_of(c)) for c in courses}
    if not Assignment.objects.exists():
        commune = org_tree.communes[0]
        Assignment.objects.create(
            course=courses[0],
            unit=commune,
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 12, 31),
        )
        Assignment.objects.create(
            programme=data.programme,
            team=org_tree.teams[org_tree.communes[1].code],
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 12, 31),
        )
    team = org_tree.teams[org_tree.communes[1].code]
    memberships, enrolments, progress, attempts = [], [], [], []
    completions, programme_completions = [], []
    for user in users:
        if rng.random() < 0.2:
            memberships.append(TeamMembership(team=team, user=user))
        done_all = True
        for course in courses:
            if rng.random() < 0.35:
                done_all = False
                continue
            enrolments.append(
                Enrolment(
                    user=user,
                    course=course,
                    enrolled_at=_when(rng),
                    last_activity_at=_when(rng),
                )
            )
            opened = rng.randrange(0, 3)
            for lesson in lessons[course.pk][:opened]:
                progress.append(
                    LessonProgress(
                        user=user, lesson=lesson, course=course, opened_at=_when(rng)
                    )
                )
            for _ in range(rng.randrange(0, 3)):
                started = _when(rng)
                score = rng.choice([None, rng.uniform(0, 100), 100.0])
                attempts.append(
                    Attempt(
                        user=user,
                        quiz=data.quiz,
                        course=course,
                        started_at=started,
                        deadline=started + timedelta(minutes=15),
                        status="finished",
                        finished_at=started + timedelta(minutes=rng.randrange(1, 30)),
                        score_percent=score,
                        passed=None if score is None else score >= 60,
                    )
                )
            if rng.random() < 0.4:
                completions.append(
                    CourseCompletion(user=user, course=course, completed_at=_when(rng))
                )
            else:
                done_all = False
        if done_all:
            programme_completions.append(
                ProgrammeCompletion(
                    user=user, programme=data.programme, completed_at=_when(rng)
                )
            )
    TeamMembership.objects.bulk_create(memberships)
    Enrolment.objects.bulk_create(enrolments)
    LessonProgress.objects.bulk_create(progress)
    Attempt.objects.bulk_create(attempts)
    CourseCompletion.objects.bulk_create(completions)
    ProgrammeCompletion.objects.bulk_create(programme_completions)
    # Written behind the services' back, as an installation's history
    # before the upgrade: the backfill brings the report's figures up.
    maintained.backfill()


@pytest.fixture
def dataset(org_tree, catalog_and_quiz):
    generate_learners(org_tree, catalog_and_quiz, n=300)
    return catalog_and_quiz
