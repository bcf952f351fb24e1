from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from certificates.selectors import course_certificate_get
from certificates.services import verify_url
from courses.access import learner_required
from courses.translation import page_in_language, reader_language

from .live import quiz_live_get
from .models import Attempt, AttemptStatus, QuizPage
from .selectors import (
    attempt_for_user,
    attempt_result_get,
    attempt_view_get,
    attempts_history,
)
from .services import QuizError, SubmittedAnswer, attempt_start, attempt_submit


def quiz_page_serve(request, *, quiz: QuizPage):
    history = (
        attempts_history(user=request.user, quiz=quiz)
        if request.user.is_authenticated
        else []
    )
    shown = page_in_language(quiz)
    return TemplateResponse(
        request,
        quiz.get_template(request),
        {
            "page": shown.page,
            "self": shown.page,
            "in_language": shown,
            "history": history,
        },
    )


@require_POST
@learner_required
def quiz_start(request, quiz_id: int):
    quiz = quiz_live_get(quiz_id=quiz_id)
    if quiz is None:
        raise Http404
    try:
        attempt = attempt_start(
            user=request.user, quiz=quiz, language=reader_language()
        )
    except QuizError as refusal:
        messages.warning(request, str(refusal))
        return redirect(quiz.url)
    return redirect("quiz_attempt", attempt_id=attempt.pk)


def _own(request, attempt_id: int) -> Attempt:
    try:
        return attempt_for_user(attempt_id=attempt_id, user_id=request.user.pk)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


@never_cache
@learner_required
def attempt_page(request, attempt_id: int):
    attempt = _own(request, attempt_id)
    if attempt.status == AttemptStatus.FINISHED:
        return redirect("quiz_result", attempt_id=attempt.pk)
    view = attempt_view_get(attempt=attempt)
    return render(
        request,
        "quizzes/attempt.html",
        {
            "view": view,
            "quiz": attempt.quiz,
            "quiz_text": _quiz_text(),
            "submit_spread": settings.QUIZ_AUTO_SUBMIT_SPREAD_SECONDS,
        },
    )


def _quiz_text() -> dict[str, str]:
    """What the quiz script says, translated here rather than in JavaScript."""
    return {
        "unanswered": _("Bạn chưa trả lời các câu: %s."),
        "all_answered": _("Bạn đã trả lời tất cả các câu."),
        "five_minutes": _("Còn 5 phút."),
        "one_minute": _("Còn 1 phút! Bài sẽ tự nộp khi hết giờ."),
        "extra_time": _("Bạn được cộng thêm thời gian làm bài."),
        "submitting": _("Đang nộp bài…"),
        "time_up": _("Hết giờ — đang nộp bài…"),
    }


@require_POST
@learner_required
def attempt_submit_form(request, attempt_id: int):
    """Submitting without JavaScript: the plain form posts every answer."""
    attempt = _own(request, attempt_id)
    answers = [
        SubmittedAnswer(
            question_id=qid,
            choice_ids=[
                int(c)
                for c in request.POST.getlist(f"q{qid}")
                if c.isascii() and c.isdigit()
            ],
            seq=2**62,
        )
        for qid in attempt.question_ids
    ]
    try:
        attempt_submit(attempt=attempt, answers=answers)
    except QuizError as refusal:
        messages.warning(request, str(refusal))
    return redirect("quiz_result", attempt_id=attempt.pk)


@never_cache
@learner_required
def result_page(request, attempt_id: int):
    attempt = _own(request, attempt_id)
    if attempt.status != AttemptStatus.FINISHED:
        return redirect("quiz_attempt", attempt_id=attempt.pk)
    result = attempt_result_get(attempt=attempt)
    # A pass that completed the course has its certificate by now (issued on
    # commit); it is what the learner came for, so it goes on top.
    certificate = (
        course_certificate_get(user=request.user, course_id=attempt.course_id)
        if attempt.passed
        else None
    )
    return render(
        request,
        "quizzes/result.html",
        {
            "result": result,
            "certificate": certificate,
            "certificate_url": verify_url(certificate) if certificate else "",
            "quiz": attempt.quiz,
            "history": attempts_history(user=request.user, quiz=attempt.quiz),
        },
    )


@require_GET
def service_worker(request):
    """Served from /kiem-tra/ so that it may keep the quiz pages for offline
    reloads (a worker only controls pages under its own path)."""
    body = render_to_string("quizzes/sw.js", {"offline_url": reverse("quiz_offline")})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def offline(request):
    return render(request, "quizzes/offline.html")
