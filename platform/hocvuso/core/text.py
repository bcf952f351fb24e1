"""The one place for the hygiene of text a person typed or imported.

Every form, importer and API input passes its free text through `text_clean`
(and names through `person_name_clean`), so that what is stored is NFC, trimmed,
of bounded length and free of control characters: PostgreSQL refuses NUL in
text and jsonb, XLSX refuses most C0 characters, and a stored NUL would break
every later export of the unit. Refusing here (with a message naming the field)
means the user fixes the input instead of a page failing later.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# Starts a spreadsheet reads as a formula (OWASP "CSV injection"); tab and CR
# too, because some spreadsheets strip them and then read what follows.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAME_MAX = 150
# What a control character read from a file becomes before the file's text is
# stored for its later run (jsonb refuses NUL); validators refuse it as they
# refuse the character itself.
CONTROL_MARK = "\ufffd"

# C0 and C1 control characters and DEL; lone surrogates (possible from JSON
# "\ud800") cannot be encoded to UTF-8 at all.
_SURROGATES = r"\ud800-\udfff"
_CONTROL = re.compile(rf"[\x00-\x1f\x7f-\x9f{_SURROGATES}]")
_MULTILINE_ALLOWED = frozenset("\n\t")
# A name: a letter first, then letters (with their combining marks), spaces
# and the punctuation real names carry (H'Hen Niê, Nguyễn T. An, Lê-Anh).
_NAME_PUNCTUATION = frozenset(" .,'’-()")
# A place or team: also digits and the slash and ampersand of "Tổ dân phố 5/2".
_PLACE_PUNCTUATION = _NAME_PUNCTUATION | frozenset("/&")
PLACE_MAX = 200


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control character not allowed in `value`, or None."""
    for match in _CONTROL.finditer(value):
        char = match.group()
        if not (multiline and char in _MULTILINE_ALLOWED):
            return char
    return None


def control_marked(value: str, *, multiline: bool = False) -> str:
    """`value` with each control character not allowed replaced by
    CONTROL_MARK."""
    return _CONTROL.sub(
        lambda m: (
            m.group() if multiline and m.group() in _MULTILINE_ALLOWED else CONTROL_MARK
        ),
        value,
    )


# A signed number (a phone "+84912345678", "-5") starts like a formula but is
# only ever a number to a spreadsheet; it is exported as written.
_SIGNED_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)?")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value)


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def text_clean(
    value: str, *, field: str, max_length: int, multiline: bool = False
) -> str:
    """`value` in NFC and trimmed; raises ValidationError (naming `field`) for
    a control character (tab and newline allowed when `multiline`) or for
    text longer than `max_length` characters."""
    value = unicodedata.normalize("NFC", str(value))
    if multiline:
        # Browsers send a textarea's line breaks as CRLF.
        value = value.replace("\r\n", "\n")
    value = value.strip()
    char = control_character(value, multiline=multiline)
    if char is not None:
        raise ValidationError(
            _("%(field)s chứa ký tự điều khiển không được phép (%(char)s)."),
            code="control_character",
            params={"field": field, "char": _codepoint(char)},
        )
    if len(value) > max_length:
        raise ValidationError(
            _("%(field)s dài %(length)d ký tự, tối đa %(max)d ký tự."),
            code="too_long",
            params={"field": field, "length": len(value), "max": max_length},
        )
    return value


# What PostgreSQL text cannot hold at all: NUL, and lone surrogates (no
# UTF-8 for them).
_UNSTORABLE = re.compile(rf"[\x00{_SURROGATES}]")


def opaque_text_check(value: str) -> str:
    """`value` unchanged, for text that is data of another program (a content
    package's saved state): it must come back exactly as written, so nothing
    is normalised, trimmed or refused but what cannot be stored. Raises
    ValueError for NUL or a lone surrogate."""
    if _UNSTORABLE.search(value):
        raise ValueError("NUL or lone surrogate")
    return value


def _name_character_ok(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM" or char in _NAME_PUNCTUATION


def person_name_clean(value: str) -> str:
    """The one rule for a person's name, at sign-up, on the profile and in the
    account import: clean text, single spaces, letters with the punctuation of
    names, and a letter first (so it never starts like a formula)."""
    # After text_clean no control character is left, so split() only folds
    # runs of (Unicode) spaces.
    value = " ".join(
        text_clean(value, field=_("Họ và tên"), max_length=NAME_MAX).split()
    )
    if not value:
        raise ValidationError(_("Vui lòng nhập họ và tên."), code="required")
    if not unicodedata.category(value[0]).startswith("L") or not all(
        _name_character_ok(c) for c in value
    ):
        raise ValidationError(
            _(
                "Họ và tên chỉ gồm chữ cái, khoảng trắng và các dấu . , ' - ( ), "
                "bắt đầu bằng một chữ cái."
            ),
            code="name_invalid",
        )
    return value


def place_name_clean(value: str, *, field: str, max_length: int = PLACE_MAX) -> str:
    """The rule for a village's or a team's name: clean text, single spaces,
    letters, digits and the punctuation of place names, a letter or a digit
    first and at least one letter (so no markup, no formula, no "...")."""
    value = " ".join(text_clean(value, field=field, max_length=max_length).split())
    if value and not (
        unicodedata.category(value[0])[0] in "LN"
        and any(unicodedata.category(c)[0] == "L" for c in value)
        and all(
            unicodedata.category(c)[0] in "LMN" or c in _PLACE_PUNCTUATION
            for c in value
        )
    ):
        raise ValidationError(
            _(
                "%(field)s “%(value)s” không hợp lệ: chỉ gồm chữ cái, chữ số, "
                "khoảng trắng và các dấu . , ' - ( ) / &, bắt đầu bằng chữ cái "
                "hoặc chữ số."
            ),
            code="place_invalid",
            params={"field": field, "value": value[:40]},
        )
    return value


def _ascii_letters() -> dict[str, str]:
    # Tone and vowel marks come off by decomposition, but "đ" has none: Django's
    # slugify drops it ("inh-danh") and Wagtail's urlify spells it the Serbian way
    # ("dj"). Issue 24, item 11.
    letters = {"đ": "d", "Đ": "D"}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            letters[char] = base
    return letters


ASCII_LETTERS = _ascii_letters()
_ASCII_TABLE = str.maketrans(ASCII_LETTERS)


def slug_ascii(value: str) -> str:
    """An ASCII slug for a page URL: "Định danh điện tử" → "dinh-danh-dien-tu".

    Unicode slugs are percent-encoded into URLs three times as long that break
    in SMS and chat apps."""
    return slugify(value.translate(_ASCII_TABLE))


def search_folded(value: str) -> str:
    """`value` as searches compare it: NFC and lower case, Vietnamese letters
    included (SQLite's own lower() and LIKE only fold ASCII, so "Đ" never
    matched "đ" there; on SQLite this is registered as `vi_lower`)."""
    return unicodedata.normalize("NFC", value).lower()
