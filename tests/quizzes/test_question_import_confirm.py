"""A dry run is confirmed with "Xác nhận nhập", without uploading the file
again (issue 24, item 12)."""

import re

import pytest
from django.test import Client

from courses.models import CoursePage
from quizzes.models import Question

from .test_question_import import BAD, GOOD, csv_bytes, upload

pytestmark = pytest.mark.django_db


def _token(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "the dry run offers no “Xác nhận nhập”"
    return match.group(1)


def _confirm(client, token: str):
    return client.post("/cms/cau-hoi/nhap/xac-nhan/", {"token": token}, follow=True)


@pytest.fixture
def course(build_catalog):
    build_catalog(courses=2, lessons=1)
    return CoursePage.objects.order_by("pk").first()


@pytest.fixture
def editor(client, make_learner):
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


def test_confirm_adds_exactly_the_previewed_rows_once(editor, course):
    content = csv_bytes(GOOD + [row for row, _ in BAD])
    page = upload(editor, course, "cau-hoi.csv", content, dry_run=True).text
    assert "Xác nhận nhập" in page
    assert not Question.objects.exists()

    first = _confirm(editor, _token(page))
    assert "Đã thêm 3 câu hỏi" in first.text
    assert sorted(Question.objects.values_list("text", flat=True)) == sorted(
        r[1] for r in GOOD
    )
    assert set(Question.objects.values_list("course", flat=True)) == {course.pk}

    again = _confirm(editor, _token(page))
    assert "đã được xác nhận nhập lúc" in again.text
    assert Question.objects.count() == 3


def test_another_user_cannot_confirm(editor, course, make_learner):
    page = upload(editor, course, "cau-hoi.csv", csv_bytes(GOOD), dry_run=True).text
    token = _token(page)
    other = Client()
    other.force_login(make_learner(is_superuser=True, is_staff=True))
    response = _confirm(other, token)
    assert response.status_code == 200
    assert "Không tìm thấy bản kiểm tra này" in response.text
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "token", ["", "không-phải-mã", "00000000-0000-0000-0000-000000000000", "1' OR 1=1"]
)
def test_forged_token_is_refused_in_vietnamese(editor, course, token):
    response = _confirm(editor, token)
    assert response.status_code == 200
    assert "Không tìm thấy bản kiểm tra này" in response.text
    assert not Question.objects.exists()


def test_a_dry_run_with_nothing_to_add_offers_no_confirm(editor, course):
    page = upload(
        editor, course, "cau-hoi.csv", csv_bytes([r for r, _ in BAD[:-1]]), dry_run=True
    ).text
    assert "Xác nhận nhập" not in page
