"""Writes of the LTI tool (docs/lti.md): a launch's account and enrolment,
the scores owed to a platform written with the learning event, and their
sending by Celery with retries."""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

import requests
from django.db import IntegrityError, transaction
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from courses.learner_events import LearningRecord, RecordKind
from courses.models import CourseCompletion, CoursePage
from courses.page_cache import cached
from courses.services import enrolment_create
from hocvuso.accounts.models import User
from hocvuso.core.text import control_marked
from hocvuso.xapi.services import backoff

from . import claims as launch_claims
from .launch import http_session
from .models import GradeTarget, LtiIdentity, LtiPlatform, Score
from .tool_config import PlatformRegistration

logger = logging.getLogger(__name__)

ERROR_MAX = 500
FULL_MARKS = 100.0
SEND_BATCH = 200


@dataclass(frozen=True)
class AcceptedLaunch:
    user: User
    course: CoursePage
    created: bool


def _identity_user(*, platform: LtiPlatform, sub: str, name: str, now) -> tuple:
    """The account linked to (platform, sub), made when new: no phone, no
    password (only a launch reaches it), the platform's name if it passes
    the name rule."""
    identity = (
        LtiIdentity.objects.select_related("user")
        .filter(platform=platform, sub=sub)
        .first()
    )
    if identity is not None:
        return identity, False
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=f"lti-{secrets.token_hex(8)}", password=None, full_name=name
            )
            identity = LtiIdentity.objects.create(
                platform=platform, sub=sub, user=user, created_at=now
            )
    except IntegrityError:
        # The same person's second launch at the same moment made it first.
        identity = LtiIdentity.objects.select_related("user").get(
            platform=platform, sub=sub
        )
        return identity, False
    return identity, True


@transaction.atomic
def launch_accept(
    *, platform: LtiPlatform, claims: dict, course: CoursePage
) -> AcceptedLaunch:
    """A resource launch checked by the library: the platform's user signs
    in to their linked account, is enrolled in the course, and the line item
    (if the platform offers grades) is kept for their scores."""
    now = timezone.now()
    identity, created = _identity_user(
        platform=platform,
        sub=launch_claims.subject(claims),
        name=launch_claims.person_name(claims),
        now=now,
    )
    enrolment_create(user=identity.user, course=course, now=now)
    service = launch_claims.grade_service(claims)
    if service is not None:
        GradeTarget.objects.update_or_create(
            identity=identity,
            course=course,
            defaults={
                "lineitem_url": service.lineitem_url,
                "scopes": service.scopes,
                "updated_at": now,
            },
        )
    return AcceptedLaunch(user=identity.user, course=course, created=created)


# --- Scores --------------------------------------------------------------------


def _score_percent(record: LearningRecord, course_id: int) -> float | None:
    if record.kind == RecordKind.TEST_ATTEMPTED:
        score = record.score
        return score.percent if score is not None and score.passed else None
    if record.kind == RecordKind.COURSE_COMPLETED:
        tested = (
            CourseCompletion.objects.filter(user_id=record.user_id, course_id=course_id)
            .values_list("score_percent", flat=True)
            .first()
        )
        return tested if tested is not None else FULL_MARKS
    return None


def grades_possible() -> bool:
    """Whether any platform is switched on: without one, a learning event
    costs no query here (the exam's submit is counted, test_exam_hot_paths)."""
    return cached(
        "lti-platforms-on",
        lambda: LtiPlatform.objects.filter(enabled=True).exists(),
        in_process=True,
    )


def learning_record_write(*, record: LearningRecord) -> int:
    """One of settings.COURSES_LEARNING_RECORDED: a course completed or its
    test passed by a learner launched from a platform with grades writes
    the score into the outbox, in the event's transaction; it is sent after
    commit. Returns how many scores were written."""
    if record.kind not in (RecordKind.TEST_ATTEMPTED, RecordKind.COURSE_COMPLETED):
        return 0
    if not grades_possible():
        return 0
    course_id = record.course_id or record.page_id
    targets = list(
        GradeTarget.objects.filter(
            identity__user_id=record.user_id,
            identity__platform__enabled=True,
            course_id=course_id,
        )
    )
    if not targets:
        return 0
    percent = _score_percent(record, course_id)
    if percent is None:
        return 0
    now = timezone.now()
    scores = Score.objects.bulk_create(
        Score(
            target=target,
            score_given=round(min(max(percent, 0.0), FULL_MARKS), 2),
            score_maximum=FULL_MARKS,
            activity_progress="Completed",
            grading_progress="FullyGraded",
            timestamp=record.at,
            created_at=now,
            next_attempt_at=now,
        )
        for target in targets
    )
    ids = [score.pk for score in scores]

    def enqueue():
        from .tasks import scores_send_task

        scores_send_task.delay(ids)

    transaction.on_commit(enqueue)
    return len(ids)


def _grade(score: Score, *, sub: str) -> Grade:
    return (
        Grade()
        .set_score_given(score.score_given)
        .set_score_maximum(score.score_maximum)
        .set_activity_progress(score.activity_progress)
        .set_grading_progress(score.grading_progress)
        .set_timestamp(score.timestamp.isoformat())
        .set_user_id(sub)
    )


def _error_text(error: Exception) -> str:
    if isinstance(error, LtiServiceException):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}"
    return control_marked(text)[:ERROR_MAX]


def score_send(*, score_id: int, now: datetime | None = None) -> bool:
    """Posts one due score to its line item (a token by the client
    credentials grant with our signed JWT assertion, then the score); a
    failure is kept with a later try. Row-locked, so two workers never
    send the same score. True when the platform took it."""
    now = now or timezone.now()
    with transaction.atomic():
        score = (
            Score.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("target__identity__platform")
            .filter(pk=score_id, sent_at=None, next_attempt_at__lte=now)
            .first()
        )
        if score is None:
            return False
        target = score.target
        platform = target.identity.platform
        try:
            if not platform.enabled:
                raise LtiException("platform switched off")
            if not launch_claims.service_url_ok(platform.auth_token_url):
                raise LtiException("token URL refused")
            connector = ServiceConnector(PlatformRegistration(platform), http_session())
            service = AssignmentsGradesService(
                connector, {"lineitem": target.lineitem_url, "scope": target.scopes}
            )
            service.put_grade(_grade(score, sub=target.identity.sub))
        except (
            LtiException,
            LtiServiceException,
            requests.RequestException,
            ValueError,
            KeyError,
            TypeError,
        ) as error:
            score.attempts += 1
            score.next_attempt_at = now + backoff(score.attempts)
            score.last_error = _error_text(error)
            score.save(update_fields=["attempts", "next_attempt_at", "last_error"])
            logger.warning("LTI score %s not sent: %s", score.pk, score.last_error)
            return False
        score.sent_at = timezone.now()
        score.last_error = ""
        score.save(update_fields=["sent_at", "last_error"])
        return True


def scores_send_due(*, now: datetime | None = None) -> int:
    """The beat's sweep: every due score, oldest first (a score whose task
    was lost, or whose platform was down). Returns how many were sent."""
    now = now or timezone.now()
    due = Score.objects.filter(sent_at=None, next_attempt_at__lte=now).order_by("id")
    return sum(
        score_send(score_id=pk, now=now)
        for pk in list(due.values_list("pk", flat=True)[:SEND_BATCH])
    )


def learner_lti_erase(*, user_id: int) -> int:
    """A learner's erasure: the platform's `sub` would lead back to them."""
    deleted, _ = LtiIdentity.objects.filter(user_id=user_id).delete()
    return deleted
