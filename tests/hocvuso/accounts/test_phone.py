import pytest
from django.core.exceptions import ValidationError
from hocvuso.accounts.phone import phone_display, phone_normalize


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "(091) 234-5678",
    ],
)
def test_every_way_people_write_a_number_gives_the_same_e164(typed):
    assert phone_normalize(typed) == "+84912345678"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "0912",
        "091234567890123",
        "abc0912345678",
        "+14155550123",
        "0000000000",
        "+84 0 912",
    ],
)
def test_malformed_or_foreign_numbers_are_refused_in_vietnamese(typed):
    with pytest.raises(ValidationError) as error:
        phone_normalize(typed)
    assert "Số điện thoại không hợp lệ" in str(error.value)


def test_display_form_is_the_national_one():
    assert phone_display("+84912345678") == "0912 345 678"
