"""What each page a learner meets costs on mobile data, before they press
play: a cold-cache visit on the demo with its video and audio, compressed as
production sends it, under 100 KB each. The figures are printed (-s)."""

import pytest
from hocvuso.accounts.models import User
from hocvuso.accounts.selectors import privacy_notice_current
from hocvuso.accounts.services import consent_give

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_create
from quizzes.models import QuizPage
from quizzes.services import attempt_start, attempt_submit

from .weights import BUDGET, page_weight, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_is_under_100_kb_before_play(live_server, browser, demo_with_media):
    course = demo_with_media
    learner = User.objects.get(username="hocvien")
    consent_give(user=learner, notice=privacy_notice_current())
    enrolment_create(user=learner, course=course)
    # Every lesson open at once, so each can be measured on its own.
    CoursePage.objects.filter(pk=course.pk).update(lessons_in_order=False)
    video, audio, text = LessonPage.objects.live().child_of(course).order_by("path")[:3]
    quiz = QuizPage.objects.live().child_of(course).get()
    finished = attempt_submit(
        attempt=attempt_start(user=learner, quiz=quiz), answers=[]
    )
    attempt = attempt_start(user=learner, quiz=quiz)
    cookie = session_cookie(live_server, learner)
    pages = {
        "home": "/",
        "catalogue": "/khoa-hoc/",
        "course": course.url,
        "text lesson": text.url,
        "video lesson": video.url,
        "audio lesson": audio.url,
        "quiz": f"/kiem-tra/lam-bai/{attempt.pk}/",
        "result": f"/kiem-tra/ket-qua/{finished.pk}/",
    }
    weights = {}
    for name, path in pages.items():
        meter = page_weight(browser, live_server, path, cookie=cookie)
        assert live_server.url + path in meter.sizes, (name, meter.sizes)
        assert not meter.streamed(), (name, meter.streamed())
        weights[name] = meter
    print("\nTransferred before play (cold cache, compressed):")
    for name, meter in weights.items():
        print(f"  {name:<13} {meter.total / 1024:6.1f} KB  ({len(meter.sizes)} files)")
    for name, meter in weights.items():
        assert meter.total < BUDGET, (name, meter.sizes)
    assert any(url.endswith(".jpg") for url in weights["video lesson"].sizes)  # poster
