"""Mechanical rules of the demo courses and banks (issue 20 and its review
rounds), checked on the files themselves so that an edition that breaks one
fails before anyone seeds it: every source https (or the course itself),
every bank at least 20 questions, no question repeated across banks,
multi-answer stems that read as multi-answer, provinces touched by the
2025 rearrangement named without a claim the fact sheets cannot source, and
no explanation or choice pointing at choices by position."""

import json
import re
import unicodedata
from collections import Counter
from urllib.parse import urlparse

from courses.demo import CONTENT_DIR as COURSES_DIR
from courses.demo import course_definitions_load
from quizzes.demo import quiz_definitions_load

BANK_MINIMUM = 20
# A question may rest on the course's own lesson: then its source is titled
# "Khóa học này, bài …" and has no URL.
SELF_SOURCE = "Khóa học này"
# Province names that disappeared in the 2025 rearrangement of provinces.
# The fact sheets source that merger for Bình Dương only (F329), so a
# lesson may not call the others "cũ" (review round 4, R4-1): a name is either
# labelled as the name in use when the page was published, or stands in a
# sentence dated 2025, when the province issued what the sentence reports.
FORMER_PROVINCES = (
    "Hà Giang",
    "Yên Bái",
    "Bắc Kạn",
    "Vĩnh Phúc",
    "Hòa Bình",
    "Bắc Giang",
    "Thái Bình",
    "Hải Dương",
    "Hà Nam",
    "Nam Định",
    "Quảng Bình",
    "Quảng Nam",
    "Kon Tum",
    "Bình Định",
    "Ninh Thuận",
    "Đắk Nông",
    "Bình Thuận",
    "Phú Yên",
    "Bình Dương",
    "Bà Rịa",
    "Bình Phước",
    "Long An",
    "Sóc Trăng",
    "Hậu Giang",
    "Bến Tre",
    "Trà Vinh",
    "Tiền Giang",
    "Bạc Liêu",
    "Kiên Giang",
)
NEUTRAL_LABEL = " (tên gọi khi đăng bài)"
# F329: "legacy Bình Dương portal; the province was merged on 1/7/2025".
SOURCED_MERGERS = {"Bình Dương": re.compile(r" \(trước (khi tỉnh )?sáp nhập")}
DATED_2025 = re.compile(r"\bnăm 2025\b|\d/2025\b", re.I)
SENTENCE_END = re.compile(r"[.!?:;]\s|</?(p|li|h\d)>")


def _banks() -> dict[int, list[dict]]:
    return {t: d["questions"] for t, d in quiz_definitions_load().items()}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _all_content() -> list:
    extra = [
        json.loads((COURSES_DIR / name).read_text(encoding="utf-8"))
        for name in ("glossary.json", "programmes.json")
    ]
    return [*course_definitions_load(), *_banks().values(), *extra]


def test_every_bank_has_enough_questions_with_unique_keys():
    banks = _banks()
    assert set(banks) == {1, 2, 3, 4, 5, 6, 7}
    for topic, questions in banks.items():
        assert len(questions) >= BANK_MINIMUM, topic
    keys = Counter(q["key"] for questions in banks.values() for q in questions)
    assert [k for k, n in keys.items() if n > 1 or not k] == []


def test_every_source_is_https_or_the_course_itself():
    sources = [
        (lesson["slug"], source)
        for course in course_definitions_load()
        for lesson in course["lessons"]
        for source in lesson["sources"]
    ]
    sources += [(q["key"], q["source"]) for qs in _banks().values() for q in qs]
    for where, source in sources:
        assert source["title"].strip(), where
        url = urlparse(source["url"])
        if not source["url"]:
            assert source["title"].startswith(SELF_SOURCE), where
            continue
        assert url.scheme == "https" and url.hostname, (where, source["url"])
        assert not re.fullmatch(r"[\d.]+", url.hostname), (where, source["url"])


def test_no_question_repeats_another_bank():
    def norm(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())

    seen: dict[str, int] = {}
    for topic, questions in _banks().items():
        for q in questions:
            stem = norm(q["text"])
            assert seen.setdefault(stem, topic) == topic, q["key"]


def test_multi_answer_stems_ask_for_which_ones():
    """A stem saying "những … nào" tells the learner more than one choice may
    be right; "những gì" reads as an open question."""
    for questions in _banks().values():
        for q in questions:
            if q["kind"] == "multiple":
                assert "những gì" not in q["text"], q["key"]
                assert re.search(r"\bnhững\b.*\bnào\b", q["text"], re.I), q["key"]


def _sentence_around(text: str, start: int, end: int) -> str:
    before = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    after = SENTENCE_END.search(text, end)
    return text[before[-1] if before else 0 : after.start() if after else None]


def test_text_is_nfc_and_former_provinces_carry_no_unsourced_merger():
    for text in (s for item in _all_content() for s in _strings(item)):
        assert unicodedata.is_normalized("NFC", text), text[:80]
        for name in FORMER_PROVINCES:
            for m in re.finditer(re.escape(name), text):
                after = text[m.end() : m.end() + 60]
                where = text[max(0, m.start() - 60) : m.end() + 40]
                assert not re.match(r"\s*(\(cũ|cũ\))", after), where
                sourced = SOURCED_MERGERS.get(name)
                assert (
                    after.startswith(NEUTRAL_LABEL)
                    or (sourced and sourced.match(after))
                    or DATED_2025.search(_sentence_around(text, m.start(), m.end()))
                ), where


# Choices are shown shuffled (Quiz.shuffle_choices defaults to on) and may be
# reordered between editions, so an explanation or a choice that points at
# other choices by position ("Bốn quyền đầu", "hai cách trên", "đáp án B",
# "ý thứ nhất") tells the learner a wrong choice is right (review round 5,
# R5-2). Name them by their content instead.
_CHOICE_NOUN = r"(?i:ý|lựa chọn|đáp án|phương án|câu trả lời|câu)"
POSITIONAL = re.compile(
    r"\b(?i:hai|ba|bốn)\s+(?:\w+\s+){1,2}?(?i:đầu|cuối|trên|dưới)\b"
    rf"|\b{_CHOICE_NOUN}\s+(?:(?i:thứ\s+\w+|đầu|cuối|trên|dưới)|[A-E])\b"
    r"|\b[A-E]\s*(?:,|và|hoặc)\s*[A-E]\b|\([A-E]\)"
)


def test_no_explanation_or_choice_points_at_choices_by_position():
    found = [
        (q["key"], m.group())
        for questions in _banks().values()
        for q in questions
        for text in (q["explanation"], *(c["text"] for c in q["choices"]))
        for m in POSITIONAL.finditer(text)
    ]
    assert found == []
