"""JSON API of the quiz page (django-ninja; schema at /api/openapi.json)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from hocvuso.core.numbers import DbId, Seq
from ninja import Router, Schema, Status

from courses.api_auth import ConsentRequiredOut, SessionUserId
from courses.course_sites import page_on_request_site_or_404
from courses.translation import reader_language

from .engine.clock import remaining_seconds
from .live import quiz_live_get
from .models import Attempt, AttemptStatus
from .selectors import (
    attempt_for_user,
    attempt_result_get,
    attempt_view_get,
)
from .services import (
    SubmittedAnswer,
    answer_autosave_owned,
    attempt_start,
    attempt_submit,
)

router = Router(auth=SessionUserId(), tags=["Bài kiểm tra"])


class StartIn(Schema):
    quiz_id: DbId


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    number: int
    kind: str
    text: str
    choices: list[ChoiceOut]


class SavedAnswerOut(Schema):
    question_id: int
    choice_ids: list[int]
    seq: int


class AttemptOut(Schema):
    id: int
    quiz_id: int
    status: str
    started_at: datetime
    deadline: datetime
    server_time: datetime
    remaining_seconds: int
    questions: list[QuestionOut]
    answers: list[SavedAnswerOut]
    result_url: str


class AnswerIn(Schema):
    choice_ids: list[DbId]
    seq: Seq


class AutosaveOut(Schema):
    saved: bool
    seq: int
    deadline: datetime
    server_time: datetime
    remaining_seconds: int


class SubmitAnswerIn(Schema):
    question_id: DbId
    choice_ids: list[DbId]
    seq: Seq


class SubmitIn(Schema):
    answers: list[SubmitAnswerIn]


class ReviewOut(Schema):
    question_id: int
    chosen: list[int]
    correct: list[int]
    points: float
    explanation: str
    source_title: str
    source_url: str


class OutcomeOut(Schema):
    question_id: int
    number: int
    points: float


class ResultOut(Schema):
    id: int
    status: str
    finish_reason: str
    finished_at: datetime | None
    score_percent: float | None
    points: float | None
    max_points: float | None
    passed: bool | None
    pass_mark: int
    review_allowed: bool
    review: list[ReviewOut]
    outcomes: list[OutcomeOut]
    result_url: str


class ErrorOut(Schema):
    detail: str


def _attempt_out(attempt: Attempt) -> dict:
    view = attempt_view_get(attempt=attempt)
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "server_time": view.server_time,
        "remaining_seconds": view.remaining_seconds,
        "questions": view.questions,
        "answers": [
            {"question_id": qid, "choice_ids": a.choice_ids, "seq": a.seq}
            for qid, a in view.answers.items()
        ],
        "result_url": reverse("quiz_result", args=[attempt.pk]),
    }


def _result_out(attempt: Attempt) -> dict:
    result = attempt_result_get(attempt=attempt)
    return {
        "id": attempt.pk,
        "status": attempt.status,
        "finish_reason": attempt.finish_reason,
        "finished_at": attempt.finished_at,
        "score_percent": attempt.score_percent,
        "points": attempt.points,
        "max_points": attempt.max_points,
        "passed": attempt.passed,
        "pass_mark": attempt.quiz.pass_mark,
        "review_allowed": result.review_allowed,
        "review": [
            {
                "question_id": r.question.id,
                "chosen": r.chosen,
                "correct": r.correct,
                "points": r.points,
                "explanation": r.explanation,
                "source_title": r.source_title,
                "source_url": r.source_url,
            }
            for r in result.review
        ],
        "outcomes": [
            {"question_id": o.question_id, "number": o.number, "points": o.points}
            for o in result.outcomes
        ],
        "result_url": reverse("quiz_result", args=[attempt.pk]),
    }


@router.post(
    "/attempts",
    response={201: AttemptOut, 403: ConsentRequiredOut, 409: ErrorOut},
    summary="Bắt đầu (hoặc tiếp tục) một lượt làm bài",
)
def start(request, payload: StartIn):
    quiz = quiz_live_get(quiz_id=payload.quiz_id)
    if quiz is None:
        raise Http404
    page_on_request_site_or_404(request, quiz)
    # The service reads only the learner's id: no need to load the user.
    learner = get_user_model()(pk=request.auth)
    return Status(
        201,
        _attempt_out(
            attempt_start(user=learner, quiz=quiz, language=reader_language())
        ),
    )


@router.get(
    "/attempts/{attempt_id}",
    response={200: AttemptOut, 403: ConsentRequiredOut},
    summary="Đọc lượt làm bài: câu hỏi (không kèm đáp án), giờ máy chủ, thời gian còn lại",
)
def read(request, attempt_id: DbId):
    return _attempt_out(_own(attempt_id, request.auth))


@router.put(
    "/attempts/{attempt_id}/answers/{question_id}",
    response={
        200: AutosaveOut,
        403: ConsentRequiredOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Tự động lưu một câu trả lời",
)
def autosave(request, attempt_id: DbId, question_id: DbId, payload: AnswerIn):
    now = timezone.now()
    try:
        result = answer_autosave_owned(
            attempt_id=attempt_id,
            user_id=request.auth,
            question_id=question_id,
            choice_ids=payload.choice_ids,
            seq=payload.seq,
            now=now,
        )
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
    return {
        "saved": result.saved,
        "seq": result.seq,
        "deadline": result.deadline,
        "server_time": now,
        "remaining_seconds": remaining_seconds(deadline=result.deadline, now=now),
    }


@router.post(
    "/attempts/{attempt_id}/submit",
    response={
        200: ResultOut,
        403: ConsentRequiredOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Nộp bài",
)
def submit(request, attempt_id: DbId, payload: SubmitIn):
    answers = [
        SubmittedAnswer(question_id=a.question_id, choice_ids=a.choice_ids, seq=a.seq)
        for a in payload.answers
    ]
    # The service reads the attempt under lock, by id and owner; reading it
    # here first would only add a query.
    try:
        finished = attempt_submit(
            attempt=Attempt(pk=attempt_id, user_id=request.auth), answers=answers
        )
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
    return _result_out(finished)


@router.get(
    "/attempts/{attempt_id}/result",
    response={200: ResultOut, 403: ConsentRequiredOut, 409: ErrorOut},
    summary="Kết quả sau khi nộp",
)
def result(request, attempt_id: DbId):
    attempt = _own(attempt_id, request.auth)
    if attempt.status != AttemptStatus.FINISHED:
        return Status(409, {"detail": _("Bài làm chưa nộp.")})
    return _result_out(attempt)


def _own(attempt_id: int, user_id: int) -> Attempt:
    try:
        return attempt_for_user(attempt_id=attempt_id, user_id=user_id)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc
