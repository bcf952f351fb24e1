from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from hocvuso.core.fragments import fragment_html
from hocvuso.core.page_state import page_state_answer

from .access import learner_gate_url, learner_required
from .course_sites import page_on_request_site_or_404, request_site_id
from .lesson_body import lesson_body_html
from .models import CoursePage, LessonPage
from .page_cache import live_page
from .page_mixins import shared_response
from .selectors import (
    glossary_url_get,
    lesson_context_get,
    my_courses_list,
)
from .services import (
    LessonLocked,
    MediaNotWatched,
    NotEnrolled,
    PackageNotCompleted,
    enrolment_create,
    lesson_complete,
    lesson_open,
)
from .translation import page_in_language

NOT_ENROLLED_MESSAGE = gettext_lazy("Hãy bấm “Đăng ký học” để bắt đầu khóa học này.")


def lesson_serve(request, *, lesson: LessonPage):
    """The lesson as every reader sees it, cached in front of Django
    (core.public_pages): anyone may read a lesson; progress, "done" and order
    come with the page state (lesson_personal_state), and order is enforced
    where it matters, when a lesson is marked done."""
    ctx = lesson_context_get(lesson=lesson, user=AnonymousUser())
    shown = page_in_language(lesson)
    return shared_response(
        lesson,
        TemplateResponse(
            request,
            lesson.get_template(request),
            {
                "page": shown.page,
                "self": shown.page,
                "in_language": shown,
                "public_page": True,
                "lesson_ctx": ctx,
                "lesson_body": lesson_body_html(lesson=shown.page),
                "glossary_url": glossary_url_get(),
            },
        ),
    )


def lesson_personal_state(request, *, lesson: LessonPage) -> dict:
    """The reader's part of a lesson page (core.page_state): opening it
    counts as taking part, as a page view did before the page was shared."""
    user = request.user
    if not user.is_authenticated:
        actions = render_to_string(
            "courses/_lesson_login.html", {"page": lesson}, request=request
        )
        return {"parts": {"actions": actions}}
    ctx = lesson_context_get(lesson=lesson, user=user)
    course_url = ctx.urls[ctx.course.pk]
    gate = learner_gate_url(request, come_back_to=ctx.urls[lesson.pk])
    if gate:
        return {"redirect": gate}
    try:
        lesson_open(user=user, ctx=ctx)
    except NotEnrolled:
        messages.info(request, NOT_ENROLLED_MESSAGE)
        return {"redirect": course_url}
    except LessonLocked as locked:
        messages.warning(request, str(locked))
        return {"redirect": course_url}
    context = {"page": lesson, "lesson_ctx": ctx}
    following = ctx.urls[ctx.following.pk] if ctx.following else None
    return {
        "parts": {
            "progress": fragment_html(
                "courses/_lesson_progress.html",
                key=(ctx.progress.done_count, ctx.progress.total),
                context=context,
            ),
            "actions": fragment_html(
                "courses/_lesson_actions.html",
                key=(lesson.pk, ctx.state.done, following, course_url),
                context=context,
            ),
        },
        "data": {
            "media_positions": ctx.media_positions,
        },
    }


@require_POST
@learner_required
def course_enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    page_on_request_site_or_404(request, course)
    enrolment_create(user=request.user, course=course)
    messages.success(
        request, _("Bạn đã đăng ký khóa học “%(title)s”.") % {"title": course.title}
    )
    first = LessonPage.objects.live().child_of(course).order_by("path").first()
    return redirect(first.url if first else course.url)


def _done_leads_to(request, url: str, *, page=None):
    """Where "Hoàn thành bài học" leads. Sent by page_state.js (JSON asked),
    the answer also carries the state of the page it leads to: a phone then
    makes one request per lesson instead of two, and the servers answer one
    instead of two (issue 17). A refusal carries no state: the page there
    asks for its own, which says why."""
    if "application/json" not in request.headers.get("Accept", ""):
        return redirect(url)
    return JsonResponse(
        {
            "location": url,
            "page": page.pk if page is not None else None,
            "state": page_state_answer(request, page) if page is not None else None,
        }
    )


@require_POST
@learner_required
def lesson_mark_done(request, lesson_id: int):
    lesson = live_page(lesson_id)
    if not isinstance(lesson, LessonPage):
        raise Http404
    page_on_request_site_or_404(request, lesson)
    try:
        result = lesson_complete(user=request.user, lesson=lesson)
    except NotEnrolled:
        messages.info(request, NOT_ENROLLED_MESSAGE)
        return _done_leads_to(request, lesson.get_parent().url)
    except LessonLocked as locked:
        messages.warning(request, str(locked))
        return _done_leads_to(request, lesson.get_parent().url)
    except (MediaNotWatched, PackageNotCompleted) as unfinished:
        messages.warning(request, str(unfinished))
        return _done_leads_to(request, lesson.url)
    if result.next_lesson is not None:
        messages.success(request, _("Đã hoàn thành bài học. Tiếp tục với bài sau nhé!"))
        # The process's copy, as the page state reads it (the result's if it
        # was unpublished meanwhile).
        following = live_page(result.next_lesson.pk) or result.next_lesson
        return _done_leads_to(request, following.url, page=following)
    messages.success(
        request, _("Chúc mừng! Bạn đã học xong tất cả các bài của khóa học.")
    )
    course = live_page(result.course.pk) or result.course
    return _done_leads_to(request, course.url, page=course)


@learner_required
def my_courses(request):
    return render(
        request,
        "courses/my_courses.html",
        {"cards": my_courses_list(user=request.user, site_id=request_site_id(request))},
    )
