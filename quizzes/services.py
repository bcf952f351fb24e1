"""Every write of the quiz lifecycle. The server owns the clock (DESIGN §5)."""

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses import learner_events
from courses.learner_events import AttemptScore, LearningRecord, RecordKind
from courses.models import CoursePage
from courses.page_cache import cached
from courses.services import course_completion_check
from courses.translation import content_language, reader_language

from .answers_sql import answer_upsert, answer_upsert_owned, answers_final
from .bank import bank_get, questions_draw
from .engine.clock import accepts_answers, deadline_for
from .engine.scoring import score
from .live import quiz_live_get
from .models import (
    Attempt,
    AttemptStatus,
    Choice,
    ExtraTimeGrant,
    FinishReason,
    Question,
    QuestionImportPreview,
    QuizPage,
)
from .question_import import ParsedQuestion, RowOutcome, rows_parse


def grace() -> timedelta:
    return timedelta(seconds=settings.QUIZ_GRACE_SECONDS)


class QuizError(Exception):
    """A refusal the learner must understand; the message is Vietnamese."""

    status = 409


class QuizNotOpen(QuizError):
    pass


class NoAttemptsLeft(QuizError):
    pass


class AttemptClosed(QuizError):
    pass


class InvalidAnswer(QuizError):
    status = 422


@dataclass(frozen=True)
class SubmittedAnswer:
    question_id: int
    choice_ids: list[int]
    seq: int


@dataclass(frozen=True)
class AutosaveResult:
    saved: bool
    seq: int
    deadline: datetime


def _local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y")


def _course_id(quiz: QuizPage) -> int:
    """The test's course (its parent page), kept under the page-tree
    generation: the same for every taker, changed only by an editor."""
    return cached(
        f"quiz-course:{quiz.pk}",
        lambda: (
            CoursePage.objects.only("pk").get(path=quiz.path[: -QuizPage.steplen]).pk
        ),
    )


def _extra_time_for(*, quiz: QuizPage, user_id: int, now: datetime) -> timedelta:
    """Only grants naming this learner whose window is still open (see
    ExtraTimeGrant); a unit's grant already went to the attempts open then."""
    minutes = ExtraTimeGrant.objects.filter(
        quiz=quiz, user_id=user_id, applies_until__gt=now
    ).values_list("minutes", flat=True)
    return timedelta(minutes=sum(minutes))


def attempt_start(
    *,
    user,
    quiz: QuizPage,
    now: datetime | None = None,
    rng: random.Random | None = None,
    language: str | None = None,
) -> Attempt:
    """Start an attempt, or return the one already open (one per learner).
    `language`: the content language it is taken in (default: the active one).

    Only `user`'s pk is read: the API passes an unloaded User(pk=...)."""
    now = now or timezone.now()
    previous = list(
        Attempt.objects.filter(user_id=user.pk, quiz=quiz).order_by("-started_at")
    )
    open_attempt = next((a for a in previous if a.status == AttemptStatus.OPEN), None)
    if open_attempt is not None:
        if accepts_answers(deadline=open_attempt.deadline, grace=grace(), now=now):
            return open_attempt
        attempt_finish(attempt=open_attempt, now=now, reason=FinishReason.TIMED_OUT)
        previous = list(
            Attempt.objects.filter(user_id=user.pk, quiz=quiz).order_by("-started_at")
        )
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizNotOpen(
            _("Bài kiểm tra mở lúc %(t)s.") % {"t": _local(quiz.opens_at)}
        )
    if quiz.closes_at and now >= quiz.closes_at:
        raise QuizNotOpen(
            _("Bài kiểm tra đã đóng lúc %(t)s.") % {"t": _local(quiz.closes_at)}
        )
    if quiz.attempts_allowed and len(previous) >= quiz.attempts_allowed:
        raise NoAttemptsLeft(
            _("Bạn đã dùng hết %(n)d lượt làm bài.") % {"n": quiz.attempts_allowed}
        )
    if previous and quiz.min_minutes_between_attempts:
        wait_until = previous[0].finished_at + timedelta(
            minutes=quiz.min_minutes_between_attempts
        )
        if now < wait_until:
            raise NoAttemptsLeft(
                _("Bạn có thể làm lại từ %(t)s.") % {"t": _local(wait_until)}
            )
    course_id = _course_id(quiz)
    question_ids, choice_order = questions_draw(
        bank_get(course_id=course_id),
        count=quiz.question_count,
        tags=quiz.tags,
        shuffle_choices=quiz.shuffle_choices,
        rng=rng or random.SystemRandom(),
    )
    if not question_ids:
        raise QuizNotOpen(_("Bài kiểm tra chưa có câu hỏi."))
    extra = _extra_time_for(quiz=quiz, user_id=user.pk, now=now)
    # One transaction with the report's figures (the learner took a test);
    # inside a caller's transaction a savepoint keeps that transaction usable
    # after the IntegrityError below.
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                user_id=user.pk,
                quiz=quiz,
                course_id=course_id,
                started_at=now,
                extra_time=extra,
                deadline=deadline_for(
                    started=now,
                    time_limit=quiz.time_limit,
                    extra=extra,
                    closes_at=quiz.closes_at,
                ),
                question_ids=question_ids,
                choice_order=choice_order,
                language=content_language(language) if language else reader_language(),
            )
            learner_events.learners_changed(user_ids=[user.pk])
            return attempt
    except IntegrityError:
        # Two taps on "Bắt đầu" at once: the database let one through.
        return Attempt.objects.get(
            user_id=user.pk, quiz=quiz, status=AttemptStatus.OPEN
        )


def _validate(
    attempt: Attempt, question_id: int, choice_ids: Iterable[int]
) -> list[int]:
    allowed = attempt.choice_order.get(str(question_id))
    if allowed is None:
        raise InvalidAnswer(_("Câu hỏi này không thuộc bài làm của bạn."))
    chosen = sorted(set(choice_ids))
    if not set(chosen) <= set(allowed):
        raise InvalidAnswer(_("Đáp án không thuộc câu hỏi này."))
    return chosen


def _closed_message(attempt: Attempt) -> str:
    if attempt.status == AttemptStatus.FINISHED:
        return _("Bài làm đã được nộp, không thể sửa câu trả lời.")
    return _("Đã hết giờ làm bài lúc %(t)s; câu trả lời này không được ghi nhận.") % {
        "t": _local(attempt.deadline)
    }


def answer_autosave(
    *,
    attempt: Attempt,
    question_id: int,
    choice_ids: list[int],
    seq: int,
    now: datetime | None = None,
) -> AutosaveResult:
    """Save one answer; 2xx only after it is committed (DESIGN §5, invariant 1)."""
    now = now or timezone.now()
    if attempt.status != AttemptStatus.OPEN or not accepts_answers(
        deadline=attempt.deadline, grace=grace(), now=now
    ):
        raise AttemptClosed(_closed_message(attempt))
    chosen = _validate(attempt, question_id, choice_ids)
    saved = answer_upsert(
        attempt_id=attempt.pk,
        question_id=question_id,
        choice_ids=chosen,
        seq=seq,
        saved_at=now,
        earliest_deadline=now - grace(),
    )
    if not saved:
        attempt.refresh_from_db(fields=["status", "deadline"])
        if attempt.status != AttemptStatus.OPEN:
            raise AttemptClosed(_closed_message(attempt))
        # Open, so a newer answer is stored already: ignoring this one is right.
    return AutosaveResult(saved=saved, seq=seq, deadline=attempt.deadline)


def answer_autosave_owned(
    *,
    attempt_id: int,
    user_id: int,
    question_id: int,
    choice_ids: list[int],
    seq: int,
    now: datetime,
) -> AutosaveResult:
    """answer_autosave for the user's attempt known by id: on PostgreSQL one
    statement when the answer is accepted or stale, the usual case at every
    tap. Raises Attempt.DoesNotExist when it is not the user's attempt."""
    if connection.vendor == "postgresql":
        stored = answer_upsert_owned(
            attempt_id=attempt_id,
            user_id=user_id,
            question_id=question_id,
            choice_ids=set(choice_ids),
            seq=seq,
            saved_at=now,
            earliest_deadline=now - grace(),
        )
        if stored is not None:
            # Read FOR SHARE as open: a refused sequence number means a newer
            # answer is stored, as answer_autosave concludes.
            deadline, saved = stored
            return AutosaveResult(saved=saved, seq=seq, deadline=deadline)
    # Refused, or SQLite: the attempt read says why (404, closed, 422).
    attempt = Attempt.objects.only("status", "deadline", "choice_order", "user_id").get(
        pk=attempt_id, user_id=user_id
    )
    return answer_autosave(
        attempt=attempt,
        question_id=question_id,
        choice_ids=choice_ids,
        seq=seq,
        now=now,
    )


def _grade(attempt: Attempt, answers: dict[int, list[int]]) -> None:
    bank = bank_get(course_id=attempt.course_id)
    keys = [bank[qid].key() for qid in attempt.question_ids if qid in bank]
    result = score(keys, {qid: frozenset(c) for qid, c in answers.items()})
    attempt.points, attempt.max_points = result.points, result.max_points
    attempt.score_percent = result.percent
    attempt.passed = result.passed(attempt.quiz.pass_mark)
    attempt.per_question = {str(k): v for k, v in result.per_question.items()}


def _locked(attempt: Attempt) -> Attempt:
    """The attempt read afresh and held FOR UPDATE until the transaction ends:
    autosaves (FOR SHARE) wait, then find it finished. Only its owner's.

    Its test comes from the page cache, as for every taker's page: at the
    common deadline thousands finish the same one (an unpublished test is
    read if asked)."""
    # No join: locking the quiz page's row too would queue every finish of
    # that test in the province behind one another.
    locked = Attempt.objects.select_for_update().get(
        pk=attempt.pk, user_id=attempt.user_id
    )
    quiz = quiz_live_get(quiz_id=locked.quiz_id)
    if quiz is not None:
        locked.quiz = quiz
    return locked


def _finish_locked(
    locked: Attempt,
    *,
    now: datetime,
    reason: str,
    submitted: Sequence[SubmittedAnswer] = (),
) -> Attempt:
    """Store what was submitted, grade the final answers, close the attempt:
    two statements (answers_final, then one UPDATE) on an attempt `locked`
    holds. Grading stays in Python (engine.scoring, the one grading rule)
    from the cached bank, so it needs no query of its own."""
    latest: dict[int, tuple[int, list[int], int]] = {}
    for answer in submitted:
        chosen = _validate(locked, answer.question_id, answer.choice_ids)
        # One row per question in the statement (PostgreSQL refuses to update
        # a row twice in one upsert): the highest sequence number, the first
        # of equals, as storing them one by one would keep.
        kept = latest.get(answer.question_id)
        if kept is None or answer.seq > kept[2]:
            latest[answer.question_id] = (answer.question_id, chosen, answer.seq)
    answers = answers_final(
        attempt_id=locked.pk,
        submitted=list(latest.values()),
        saved_at=now,
        earliest_deadline=now - grace(),
    )
    _grade(locked, answers)
    locked.status = AttemptStatus.FINISHED
    locked.finished_at = min(now, locked.deadline)
    locked.finish_reason = reason
    locked.save(
        update_fields=[
            "status",
            "finished_at",
            "finish_reason",
            "points",
            "max_points",
            "score_percent",
            "passed",
            "per_question",
        ]
    )
    learner_events.learning_recorded(
        record=LearningRecord(
            kind=RecordKind.TEST_ATTEMPTED,
            user_id=locked.user_id,
            page_id=locked.quiz_id,
            course_id=locked.course_id,
            at=locked.finished_at,
            score=AttemptScore(
                points=locked.points,
                max_points=locked.max_points,
                percent=locked.score_percent,
                passed=locked.passed,
            ),
        )
    )
    if locked.passed:
        course_completion_check(
            user=locked.user,
            course=CoursePage.objects.get(pk=locked.course_id),
            now=locked.finished_at,
            figures_refresh=False,
        )
    learner_events.learners_changed(user_ids=[locked.user_id])
    return locked


@transaction.atomic
def attempt_finish(*, attempt: Attempt, now: datetime, reason: str) -> Attempt:
    """Grade from the saved answers and close; a second call changes nothing.

    The finish time is never later than the deadline: an attempt finished by
    the sweep or submitted during the grace period ends at its deadline.
    """
    locked = _locked(attempt)
    if locked.status == AttemptStatus.FINISHED:
        return locked
    return _finish_locked(locked, now=now, reason=reason)


def attempt_submit(
    *, attempt: Attempt, answers: list[SubmittedAnswer], now: datetime | None = None
) -> Attempt:
    """Store the full answer set the phone kept, then grade. Idempotent.

    Only `attempt`'s pk and user_id are read: the attempt is read afresh
    under lock, so the API need not read it first. Raises
    Attempt.DoesNotExist when it is not that learner's.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.status == AttemptStatus.FINISHED:
            return locked
        if accepts_answers(deadline=locked.deadline, grace=grace(), now=now):
            return _finish_locked(
                locked, now=now, reason=FinishReason.SUBMITTED, submitted=answers
            )
        # Too late: the attempt ends from what was saved, and the learner is
        # told once the finish has committed.
        finished = _finish_locked(locked, now=now, reason=FinishReason.TIMED_OUT)
    raise AttemptClosed(
        _("Đã quá giờ nộp bài. Bài được chấm theo các câu trả lời đã lưu đến %(t)s.")
        % {"t": _local(finished.deadline)}
    )


def attempts_overdue_finish(*, now: datetime | None = None, limit: int = 500) -> int:
    """The periodic sweep: finish attempts past deadline + grace."""
    now = now or timezone.now()
    overdue = list(
        Attempt.objects.filter(
            status=AttemptStatus.OPEN, deadline__lt=now - grace()
        ).order_by("deadline")[:limit]
    )
    for attempt in overdue:
        attempt_finish(attempt=attempt, now=now, reason=FinishReason.TIMED_OUT)
    return len(overdue)


@transaction.atomic
def extra_time_grant(
    *,
    quiz: QuizPage,
    minutes: int,
    granted_by,
    user=None,
    unit=None,
    reason: str = "",
    applies_until: datetime | None = None,
) -> list[int]:
    """Give extra minutes to a learner or a unit; open attempts get the new
    deadline at once (pushed over the websocket after commit). A learner's
    grant may also cover the attempts they start before applies_until.
    Returns the ids of the attempts that changed."""
    ExtraTimeGrant.objects.create(
        quiz=quiz,
        user=user,
        unit=unit,
        minutes=minutes,
        reason=reason,
        granted_by=granted_by,
        applies_until=applies_until,
    )
    attempts = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz")
        .filter(quiz=quiz, status=AttemptStatus.OPEN)
    )
    attempts = (
        attempts.filter(user=user)
        if user
        else attempts.filter(user__unit__path__startswith=unit.path)
    )
    changed = []
    for attempt in attempts:
        attempt.extra_time += timedelta(minutes=minutes)
        attempt.deadline = deadline_for(
            started=attempt.started_at,
            time_limit=quiz.time_limit,
            extra=attempt.extra_time,
            closes_at=quiz.closes_at,
        )
        attempt.save(update_fields=["extra_time", "deadline"])
        changed.append(attempt.pk)
    if changed:
        from .tasks import deadlines_push_task

        transaction.on_commit(lambda: deadlines_push_task.delay(changed))
    return changed


@dataclass(frozen=True)
class QuestionImportResult:
    created: int  # added, or for a dry run to be added
    unchanged: int
    outcomes: list
    dry_run: bool = False


def question_create(*, course: CoursePage, question: ParsedQuestion) -> Question:
    """Add one checked question and its choices to a course's bank."""
    created = Question(
        course=course,
        kind=question.kind,
        text=question.text,
        explanation=question.explanation,
        tags=question.tags,
        difficulty=question.difficulty,
        partial_credit=question.partial_credit,
        source_url=question.source_url,
    )
    created.choices = [
        Choice(text=text, correct=correct, sort_order=i)
        for i, (text, correct) in enumerate(question.choices)
    ]
    created.save()
    return created


def _fresh_questions(*, course: CoursePage, outcomes: list) -> list[ParsedQuestion]:
    """The good questions not in the course's bank yet (a question is known by
    its text)."""
    existing = {
        t.lower()
        for t in Question.objects.filter(course=course).values_list("text", flat=True)
    }
    return [
        o.question
        for o in outcomes
        if o.question and o.question.text.lower() not in existing
    ]


def questions_import(
    *, course, rows: list[dict[str, str]], dry_run: bool
) -> QuestionImportResult:
    """Check every row; unless dry_run, add the good ones that are not in the
    course's bank yet, all or nothing."""

    outcomes = rows_parse(rows)
    fresh = _fresh_questions(course=course, outcomes=outcomes)
    unchanged = sum(1 for o in outcomes if o.question) - len(fresh)
    if not dry_run:
        with transaction.atomic():
            for parsed in fresh:
                question_create(course=course, question=parsed)
    # A dry run counts what the import would add: it said "Thêm mới: 0" for
    # eleven good rows (issue 24, item 12).
    return QuestionImportResult(
        created=len(fresh), unchanged=unchanged, outcomes=outcomes, dry_run=dry_run
    )


class QuestionImportStale(Exception):
    """A confirmation that cannot be applied; the message is Vietnamese."""


def question_import_preview_create(
    *, user, course: CoursePage, file_name: str, result: QuestionImportResult
) -> QuestionImportPreview:
    """Keep the dry run's good questions for its author to confirm: the
    confirmation adds exactly what the preview showed, without the file."""
    return QuestionImportPreview.objects.create(
        created_by=user,
        course=course,
        file_name=file_name[:200],
        questions=[asdict(o.question) for o in result.outcomes if o.question],
    )


def question_import_confirm(*, user, token: str) -> QuestionImportResult:
    """Add the previewed questions the course's bank does not hold yet. Only
    the preview's author can confirm it, and only once."""
    try:
        token_uuid = uuid.UUID(str(token))
    except ValueError:
        token_uuid = None
    with transaction.atomic():
        preview = (
            QuestionImportPreview.objects.select_for_update()
            .select_related("course")
            .filter(token=token_uuid, created_by=user)
            .first()
            if token_uuid
            else None
        )
        if preview is None:
            raise QuestionImportStale(
                _(
                    "Không tìm thấy bản kiểm tra này, hoặc nó không phải của bạn. "
                    "Hãy tải tệp lên và kiểm tra lại."
                )
            )
        if preview.confirmed_at is not None:
            raise QuestionImportStale(
                _("Bản kiểm tra này đã được xác nhận nhập lúc %(time)s.")
                % {
                    "time": date_format(
                        timezone.localtime(preview.confirmed_at), "H:i d/m/Y"
                    )
                }
            )
        parsed = [
            ParsedQuestion(**{**q, "choices": [tuple(c) for c in q["choices"]]})
            for q in preview.questions
        ]
        outcomes = [RowOutcome(number=0, question=q) for q in parsed]
        fresh = _fresh_questions(course=preview.course, outcomes=outcomes)
        for question in fresh:
            question_create(course=preview.course, question=question)
        preview.confirmed_at = timezone.now()
        preview.save(update_fields=["confirmed_at"])
    return QuestionImportResult(
        created=len(fresh), unchanged=len(parsed) - len(fresh), outcomes=[]
    )
