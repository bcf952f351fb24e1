"""What must reach a reader on their very next page state, through either
middleware chain (the site's, and the page state's own the site sends it
through): however the session, its user and the values read along with it
are loaded (hocvuso.core.sessions, hocvuso.accounts.session_user), nothing
may be kept from one request to the next."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import PrivacyNotice, User
from hocvuso.core.page_state_handler import PAGE_STATE_PATH

from courses.models import CoursePage, LessonPage
from courses.services import enrolment_create

from .test_page_state_handler import _client

pytestmark = pytest.mark.django_db

CHANGE_PASSWORD = "/tai-khoan/password/change/"
LOGIN_LINK = "Đăng nhập"


@pytest.fixture
def lesson(build_catalog) -> LessonPage:
    build_catalog(courses=1, lessons=2)
    course = CoursePage.objects.get()
    return LessonPage.objects.child_of(course).order_by("path").first()


@pytest.fixture
def reader(make_learner, lesson) -> User:
    user = make_learner()
    enrolment_create(user=user, course=lesson.get_parent().specific)
    return user


def _state(client, lesson) -> dict:
    response = client.get(f"{PAGE_STATE_PATH}?page={lesson.pk}")
    assert response.status_code == 200, response.content[:200]
    return response.json()


def _signed_in(state: dict) -> bool:
    return LOGIN_LINK not in state["parts"]["nav"]


def _viewing(lean: bool, reader, lesson):
    client = _client(lean=lean)
    client.force_login(reader)
    state = _state(client, lesson)
    assert _signed_in(state) and state["redirect"] is None, state
    assert "Hoàn thành bài học" in state["parts"]["actions"]
    return client


@pytest.mark.parametrize("lean", [False, True], ids=["site chain", "state chain"])
def test_a_password_changed_on_another_phone_signs_this_one_out(lean, reader, lesson):
    here = _viewing(lean, reader, lesson)
    elsewhere = _client(lean=False)
    elsewhere.force_login(reader)
    changed = elsewhere.post(
        CHANGE_PASSWORD,
        {
            "oldpassword": "Matkhau@2025",
            "password1": "Ca phe sua da 2026",
            "password2": "Ca phe sua da 2026",
        },
    )
    assert changed.status_code == 302, changed.content[:300]
    state = _state(here, lesson)
    assert not _signed_in(state)
    assert "Hoàn thành bài học" not in state["parts"]["actions"]
    # The phone that changed it stays signed in.
    assert _signed_in(_state(elsewhere, lesson))


@pytest.mark.parametrize("lean", [False, True], ids=["site chain", "state chain"])
def test_a_deactivated_account_gets_the_anonymous_state(lean, reader, lesson):
    here = _viewing(lean, reader, lesson)
    User.objects.filter(pk=reader.pk).update(is_active=False)
    state = _state(here, lesson)
    assert not _signed_in(state)
    assert "Hoàn thành bài học" not in state["parts"]["actions"]


@pytest.mark.parametrize("lean", [False, True], ids=["site chain", "state chain"])
def test_withdrawn_consent_closes_the_lesson_at_once(lean, reader, lesson):
    here = _viewing(lean, reader, lesson)
    withdrawn = here.post(reverse("privacy_consent_withdraw"))
    assert withdrawn.status_code == 302
    state = _state(here, lesson)
    assert state["redirect"].startswith(reverse("consent")), state


@pytest.mark.parametrize("lean", [False, True], ids=["site chain", "state chain"])
def test_a_new_privacy_notice_asks_for_consent_on_the_next_view(lean, reader, lesson):
    here = _viewing(lean, reader, lesson)
    PrivacyNotice.objects.create(
        version="2.0",
        title="Thông báo mới",
        body="<p>Nội dung mới.</p>",
        published_at=timezone.now() - timedelta(seconds=1),
    )
    state = _state(here, lesson)
    assert state["redirect"].startswith(reverse("consent")), state
