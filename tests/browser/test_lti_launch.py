"""On a 360 px phone, end to end through a live server: a school's LMS (the
stand-in of tests/lti_platform.py, on 127.0.0.1) shows the tool in an
iframe; its OIDC login and launch end on our small launch page inside the
frame; "Mở khóa học" opens a new tab signed in to the learner's new linked
account, which agrees to the notice and lands on the course; completing the course sends the score to the platform's line item.

The score's task runs eagerly on commit here (CELERY_TASK_ALWAYS_EAGER in
the test settings): the worker's side is score_send, tested with the
stand-in in tests/hocvuso/lti/test_grades.py."""

import pytest
from hocvuso.lti.models import LtiIdentity, LtiPlatform

from courses.models import CoursePage
from quizzes.models import QuizPage
from tests.completion_helpers import final_test_take, lessons_complete
from tests.lti_platform import LtiPlatformStandIn

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lms():
    stand_in = LtiPlatformStandIn().start()
    yield stand_in
    stand_in.stop()


def test_launch_from_the_lms_to_the_course_and_the_score_back(
    live_server, phone, lms, demo_site
):
    # The LMS and the tool on one host (ports apart), so the state cookie
    # of the login is sent back with the launch as it is over https
    # (SameSite=None; Secure) in production.
    tool = live_server.url.replace("localhost", "127.0.0.1")
    LtiPlatform.objects.create(**lms.registration())
    course = CoursePage.objects.get(topic_number=2)
    lms.custom = {"course_id": str(course.pk)}
    lms.tool_login_url = f"{tool}/lti/dang-nhap/"
    lms.tool_jwks_url = f"{tool}/lti/jwks/"

    phone.goto(f"{lms.issuer}/lop")
    frame = phone.frame_locator("iframe[name=cong-cu]")
    open_link = frame.get_by_role("link", name="Mở khóa học")
    open_link.wait_for()
    assert frame.get_by_role("heading", name=course.title).is_visible()
    screenshot(phone, "lti-launch-in-frame")

    with phone.context.expect_page() as new_tab:
        open_link.click()
    tab = new_tab.value
    tab.wait_for_url("**/dong-y/**")
    tab.check("input[name=agree]")
    tab.get_by_role("button", name="Xác nhận và bắt đầu học").click()
    # Back to the course; where they live is asked before the first lesson.
    tab.wait_for_url(f"**/{course.slug}/")
    assert tab.get_by_role("heading", name=course.title).first.is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(tab, "lti-course-in-new-tab")

    identity = LtiIdentity.objects.get(sub="hs-1001")
    assert identity.user.full_name == "Nguyễn Thị Lan"

    lessons_complete(identity.user, course)
    quiz = QuizPage.objects.live().child_of(course).first()
    if quiz is not None:
        final_test_take(identity.user, quiz)

    assert lms.scores, lms.refusals
    assert lms.scores[-1]["userId"] == "hs-1001"
    assert lms.scores[-1]["scoreGiven"] == 100.0
    assert not lms.refusals


def test_deep_linking_a_course_from_the_lms(live_server, phone, lms, demo_site):
    tool = live_server.url.replace("localhost", "127.0.0.1")
    LtiPlatform.objects.create(**lms.registration())
    lms.message = "deep_link"
    lms.tool_login_url = f"{tool}/lti/dang-nhap/"
    lms.tool_jwks_url = f"{tool}/lti/jwks/"
    course = CoursePage.objects.get(topic_number=3)

    phone.goto(f"{lms.issuer}/lop")
    frame = phone.frame_locator("iframe[name=cong-cu]")
    frame.get_by_role("heading", name="Chọn khóa học để thêm vào lớp").wait_for()
    screenshot(phone, "lti-deep-link-choose")
    frame.get_by_role("button", name=f"Chọn “{course.title}”").click()
    frame.get_by_role("heading", name="Đã thêm hoạt động").wait_for()

    (answer,) = lms.deep_link_answers
    (item,) = answer["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["custom"] == {"course_id": str(course.pk)}
    assert item["url"] == f"{tool}/lti/khoi-chay/"
