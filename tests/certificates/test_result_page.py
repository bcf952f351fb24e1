"""What a learner sees after the final test: the certificate first, each
answer marked in words, and a finished course that no longer says
"Tiếp tục học"."""

import re

import pytest

from certificates.models import Certificate
from certificates.services import verify_url
from quizzes.models import Attempt
from quizzes.services import attempt_start, attempt_submit

from ..page_state_helpers import page_state

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return _text_of(response.content.decode())


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_a_pass_shows_the_certificate_and_its_share_button_above_the_review(
    client, learner, complete_course
):
    complete_course(learner)
    certificate = Certificate.objects.get()
    attempt = Attempt.objects.get(passed=True)
    client.force_login(learner)
    html = _text(client.get(f"/kiem-tra/ket-qua/{attempt.pk}/"))
    top = html.index("data-certificate-top")
    assert top < html.index('class="plain review"')
    assert f'data-share-url="{verify_url(certificate)}"' in html
    assert f"/chung-nhan/{certificate.code}/tai-ve.pdf" in html[top:]


def test_a_fail_shows_no_certificate(client, learner, make_quiz):
    quiz = make_quiz(questions=4, draw=4)
    attempt = attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), answers=[])
    client.force_login(learner)
    html = _text(client.get(f"/kiem-tra/ket-qua/{attempt.pk}/"))
    assert "data-certificate-top" not in html and "data-share-url" not in html


def test_the_review_writes_right_and_wrong_in_words(client, learner, make_quiz):
    quiz = make_quiz(questions=4, draw=4, attempts_allowed=1)  # review at once
    attempt = attempt_submit(attempt=attempt_start(user=learner, quiz=quiz), answers=[])
    client.force_login(learner)
    html = _text(client.get(f"/kiem-tra/ket-qua/{attempt.pk}/"))
    assert html.count("✗ Sai") == 4
    assert html.count("— đáp án đúng") >= 4  # the key in words, not a colour


def test_a_finished_course_says_done_and_review_not_continue(
    client, learner, complete_course
):
    course = complete_course(learner)
    client.force_login(learner)
    home = _text(client.get("/"))
    assert ">Đã hoàn thành</h2>" in home and ">Xem lại</a>" in home
    assert ">Tiếp tục học<" not in home
    # The course page is shared; the learner's status comes with its state.
    status = _text_of(page_state(client, course)["parts"]["status"])
    assert "Bạn đã hoàn thành khóa học" in status
    assert ">Tiếp tục học<" not in status
