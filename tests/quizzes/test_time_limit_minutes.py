"""The quiz's time limit is typed in minutes, "10" or "10 phút" (issue 24, item
12); "00:10:00" still works, and nonsense gets a Vietnamese message."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from quizzes.page_forms import MinutesDurationField


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("10", 10), ("10 phút", 10), (" 45 Phút ", 45), ("10 phut", 10), ("00:10:00", 10)],
)
def test_minutes_as_people_type_them(typed, minutes):
    assert MinutesDurationField().clean(typed) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Thời gian làm bài phải dài hơn 0 phút."),
        ("0 phút", "Thời gian làm bài phải dài hơn 0 phút."),
        ("-5", "Thời gian làm bài phải dài hơn 0 phút."),
        ("mười phút", "Nhập thời lượng hợp lệ."),
        ("10\x00", "Nhập thời lượng hợp lệ."),
        ("9" * 40, "Nhập thời lượng hợp lệ."),
        ("", "Trường này là bắt buộc."),
    ],
)
def test_a_wrong_time_limit_is_refused_in_vietnamese(typed, message):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        MinutesDurationField().clean(typed)
    assert error.value.messages == [message]


@pytest.mark.django_db
def test_the_quiz_editor_shows_the_limit_in_minutes(client, make_quiz, make_learner):
    quiz = make_quiz(questions=2, draw=2)
    client.force_login(
        make_learner(username="bientap", is_superuser=True, is_staff=True)
    )

    page = client.get(f"/cms/pages/{quiz.pk}/edit/").text

    field = re.search(r'<input[^>]*name="time_limit"[^>]*>', page)[0]
    assert 'value="15"' in field
    assert "Số phút, ví dụ 15 hoặc “15 phút”." in page
