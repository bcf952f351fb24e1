"""The demo's people at work, so that every page a newcomer opens has
something in it: the commune's teams with a leader, the team programme
assigned to the commune with a due date, targets, an extra-time grant, a
learner half-way through a course and one with a certificate.

Every step finds what an earlier run made and counts it as unchanged, so a
second run reports the same totals with nothing created.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.demo import SeedCounts
from courses.models import (
    CourseCompletion,
    CoursePage,
    LessonPage,
    LessonProgress,
    MediaWatch,
    ProgrammePage,
)
from courses.selectors import media_unwatched_list
from courses.services import enrolment_create, lesson_complete
from hocvuso.accounts.models import LearnerType, User
from hocvuso.campaigns.models import Campaign
from hocvuso.campaigns.services import campaign_create
from hocvuso.orgunits.models import Assignment, Team, TeamKind, TeamRole, Unit
from hocvuso.orgunits.services import (
    assignment_create,
    team_create,
    team_membership_set,
    unit_target_set,
)
from quizzes.models import Attempt, AttemptStatus, Choice, ExtraTimeGrant, QuizPage
from quizzes.services import SubmittedAnswer, attempt_start, attempt_submit
from quizzes.services import extra_time_grant as extra_time_grant_create

from .demo import DEMO_COMMUNE, DEMO_PASSWORD, DEMO_PROVINCE

TEAM_PROGRAMME = "to-cong-nghe-so-cong-dong"
CITIZEN_PROGRAMME = "nguoi-dan"
CERTIFICATE_TOPIC = 2  # in the citizens' programme: hocvien finishes it
HALF_WAY_TOPIC = 1  # thanhvien is half-way through it
DEMO_CAMPAIGN = "Tháng hành động “Bình dân học vụ số”"


@dataclass(frozen=True)
class Member:
    username: str
    full_name: str
    phone: str
    village: int  # index into the demo villages
    role: str = TeamRole.MEMBER
    lessons_done: int = 0  # of the programme's first course; 99: all of them


# The team leader and a few members of the commune's team, at different
# points of the programme, so the report has numbers in every column.
TEAM_MEMBERS = [
    Member("totruong", "Phạm Văn Hùng", "+84901000005", 0, TeamRole.LEADER, 99),
    Member("tv_lan", "Võ Thị Lan", "+84901000011", 0, lessons_done=2),
    Member("tv_minh", "Huỳnh Quang Minh", "+84901000012", 1, lessons_done=1),
    Member("tv_thao", "Ngô Phương Thảo", "+84901000013", 1),
    Member("tv_khoa", "Bùi Đăng Khoa", "+84901000014", 2, lessons_done=3),
]


def _count(counts: SeedCounts, created: bool) -> None:
    if created:
        counts.created += 1
    else:
        counts.unchanged += 1


def _member_user(member: Member, villages: list[Unit], counts: SeedCounts) -> User:
    user = User.objects.filter(username=member.username).first()
    _count(counts, user is None)
    if user is None:
        user = User(
            username=member.username,
            full_name=member.full_name,
            phone=member.phone,
            phone_verified=True,
            learner_type=LearnerType.TEAM_MEMBER,
            unit=villages[member.village],
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


def _media_watched(*, user: User, lesson: LessonPage) -> None:
    """A demo learner "watched" the lesson's required video: heartbeats credit
    at most the wall-clock time, which a seed does not have."""
    now = timezone.now()
    for media in media_unwatched_list(lesson=lesson, user=user):
        MediaWatch.objects.update_or_create(
            user=user,
            media=media,
            defaults={
                "watched_seconds": media.duration,
                "position": media.duration,
                "last_heartbeat_at": now,
            },
        )


def _lessons_done(
    *, user: User, course: CoursePage, count: int, counts: SeedCounts
) -> None:
    """The first `count` lessons done, in order; one count per lesson."""
    enrolment_create(user=user, course=course)
    done = set(
        LessonProgress.objects.filter(
            user=user, lesson__in=[lesson.pk for lesson in _lessons(course)]
        )
        .exclude(completed_at=None)
        .values_list("lesson_id", flat=True)
    )
    for lesson in _lessons(course)[:count]:
        _count(counts, lesson.pk not in done)
        if lesson.pk not in done:
            _media_watched(user=user, lesson=lesson)
            lesson_complete(user=user, lesson=lesson)


def _final_test(course: CoursePage) -> QuizPage:
    return QuizPage.objects.live().descendant_of(course).first()


def _test_passed(*, user: User, course: CoursePage, counts: SeedCounts) -> None:
    quiz = _final_test(course)
    passed = Attempt.objects.filter(
        user=user, quiz=quiz, status=AttemptStatus.FINISHED, passed=True
    ).exists()
    _count(counts, not passed)
    if passed:
        return
    attempt = attempt_start(user=user, quiz=quiz)
    right = Choice.objects.filter(question_id__in=attempt.question_ids, correct=True)
    chosen: dict[int, list[int]] = {}
    for choice in right:
        chosen.setdefault(choice.question_id, []).append(choice.pk)
    attempt_submit(
        attempt=attempt,
        answers=[
            SubmittedAnswer(question_id=qid, choice_ids=ids, seq=1)
            for qid, ids in chosen.items()
        ],
    )


def _certificate(*, user: User, course: CoursePage, counts: SeedCounts) -> None:
    """Issued here rather than left to the completion signal's task, which
    waits for a worker when REDIS_URL is set. Issuing is idempotent."""
    completion = CourseCompletion.objects.filter(user=user, course=course).first()
    if completion is None:
        return
    _count(counts, not Certificate.objects.filter(user=user, course=course).exists())
    certificate_issue(course_completion_id=completion.pk)


@transaction.atomic
def demo_story_seed(*, villages: list[Unit]) -> SeedCounts:
    counts = SeedCounts()
    commune = Unit.objects.get(code=DEMO_COMMUNE)
    province = Unit.objects.get(code=DEMO_PROVINCE)
    commune_admin = User.objects.get(username="quantrixa")
    team_programme = ProgrammePage.objects.get(slug=TEAM_PROGRAMME)
    citizen_programme = ProgrammePage.objects.get(slug=CITIZEN_PROGRAMME)
    courses = {c.topic_number: c for c in CoursePage.objects.live()}

    # Teams: the commune's and one village's, with a leader.
    team_names = [
        (commune, f"Tổ công nghệ số cộng đồng {commune.name}"),
        (villages[0], f"Tổ công nghệ số cộng đồng {villages[0].name}"),
    ]
    teams = []
    for unit, name in team_names:
        _count(counts, not Team.objects.filter(unit=unit, name=name).exists())
        teams.append(team_create(unit=unit, name=name, kind=TeamKind.COMMUNITY))
    # (user, role, lessons done of the first course); thanhvien is half-way.
    first = courses[HALF_WAY_TOPIC]
    people = [
        (_member_user(m, villages, counts), m.role, m.lessons_done)
        for m in TEAM_MEMBERS
    ]
    half = len(_lessons(first)) // 2
    people.append((User.objects.get(username="thanhvien"), TeamRole.MEMBER, half))
    for user, role, _done in people:
        team_membership_set(team_id=teams[0].pk, user=user, role=role)
    team_membership_set(team_id=teams[1].pk, user=people[0][0], role=TeamRole.LEADER)

    # The commune assigns the team programme, due in a month.
    assignment = Assignment.objects.filter(programme=team_programme, unit=commune)
    _count(counts, not assignment.exists())
    if not assignment.exists():
        today = timezone.localdate()
        assignment_create(
            created_by=commune_admin,
            programme=team_programme,
            unit=commune,
            starts_on=today - timedelta(days=14),
            due_on=today + timedelta(days=30),
        )

    # Targets, in persons, for the commune and the province.
    for unit, programme, learners in [
        (commune, team_programme, 8),
        (commune, citizen_programme, 40),
        (province, team_programme, 900),
        (province, citizen_programme, 5000),
    ]:
        _count(counts, not unit.targets.filter(programme=programme).exists())
        unit_target_set(unit=unit, programme=programme, learners=learners)

    # A month of action across the province, running from a week before the
    # first seed: on the home page of the province's learners and the board.
    campaign = Campaign.objects.filter(name=DEMO_CAMPAIGN, owner_unit=province)
    _count(counts, not campaign.exists())
    if not campaign.exists():
        today = timezone.localdate()
        campaign_create(
            created_by=User.objects.get(username="quantritinh"),
            owner_unit=province,
            name=DEMO_CAMPAIGN,
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=23),
            units=[province],
            programme=citizen_programme,
            goal_completions=5000,
            goals="Mỗi thôn, tổ dân phố một buổi hướng dẫn người dân học trên điện "
            "thoại; mỗi xã, phường có Tổ công nghệ số cộng đồng hoàn thành chương "
            "trình.",
        )

    # Progress: each member at their own point of the first course.
    for user, _role, done in people:
        if done:
            count = min(done, len(_lessons(first)))
            _lessons_done(user=user, course=first, count=count, counts=counts)

    # hocvien finished a course of the citizens' programme: a certificate.
    learner = User.objects.get(username="hocvien")
    course = courses[CERTIFICATE_TOPIC]
    _lessons_done(
        user=learner, course=course, count=len(_lessons(course)), counts=counts
    )
    _test_passed(user=learner, course=course, counts=counts)
    _certificate(user=learner, course=course, counts=counts)

    # Extra time: hocvien types slowly; the commune grants 10 minutes on the
    # next course's test for two weeks.
    quiz = _final_test(courses[4])
    grant = ExtraTimeGrant.objects.filter(quiz=quiz, user=learner)
    _count(counts, not grant.exists())
    if not grant.exists():
        extra_time_grant_create(
            quiz=quiz,
            minutes=10,
            granted_by=commune_admin,
            user=learner,
            reason="Người cao tuổi, gõ phím chậm",
            applies_until=timezone.now() + timedelta(days=14),
        )
    return counts
