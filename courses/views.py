from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import learner_required
from .lesson_body import lesson_body_html
from .models import CoursePage, LessonPage
from .selectors import (
    glossary_url_get,
    lesson_context_get,
    media_positions_get,
    my_courses_list,
)
from .services import (
    LessonLocked,
    MediaNotWatched,
    NotEnrolled,
    enrolment_create,
    lesson_complete,
    lesson_open,
)


def _not_enrolled(request, course_url: str):
    messages.info(request, _("Hãy bấm “Đăng ký học” để bắt đầu khóa học này."))
    return redirect(course_url)


@learner_required
def lesson_serve(request, *, lesson: LessonPage):
    ctx = lesson_context_get(lesson=lesson, user=request.user)
    try:
        lesson_open(user=request.user, ctx=ctx)
    except NotEnrolled:
        return _not_enrolled(request, ctx.course.url)
    except LessonLocked as locked:
        messages.warning(request, str(locked))
        return redirect(ctx.course.url)
    positions = media_positions_get(lesson=lesson, user=request.user)
    return TemplateResponse(
        request,
        lesson.get_template(request),
        {
            "page": lesson,
            "self": lesson,
            "lesson_ctx": ctx,
            "lesson_body": lesson_body_html(lesson=lesson, media_positions=positions),
            "glossary_url": glossary_url_get(),
        },
    )


@require_POST
@learner_required
def course_enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    enrolment_create(user=request.user, course=course)
    messages.success(
        request, _("Bạn đã đăng ký khóa học “%(title)s”.") % {"title": course.title}
    )
    first = LessonPage.objects.live().child_of(course).order_by("path").first()
    return redirect(first.url if first else course.url)


@require_POST
@learner_required
def lesson_mark_done(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        result = lesson_complete(user=request.user, lesson=lesson)
    except NotEnrolled:
        return _not_enrolled(request, lesson.get_parent().url)
    except LessonLocked as locked:
        messages.warning(request, str(locked))
        return redirect(lesson.get_parent().url)
    except MediaNotWatched as unwatched:
        messages.warning(request, str(unwatched))
        return redirect(lesson.url)
    if result.next_lesson is not None:
        messages.success(request, _("Đã hoàn thành bài học. Tiếp tục với bài sau nhé!"))
        return redirect(result.next_lesson.url)
    messages.success(
        request, _("Chúc mừng! Bạn đã học xong tất cả các bài của khóa học.")
    )
    return redirect(result.course.url)


@learner_required
def my_courses(request):
    return render(
        request,
        "courses/my_courses.html",
        {"cards": my_courses_list(user=request.user)},
    )
