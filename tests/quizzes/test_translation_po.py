"""The translator's round trip: export a course to PO, fill it in, import it
back; stale segments after a Vietnamese edit; hostile files refused."""

import io

import polib
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from courses.models import CoursePage, LessonPage, PageTranslation
from quizzes.models import Question, QuestionTranslation
from quizzes.translation_po import course_po_export, course_po_import, stale_segments

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(make_quiz):
    make_quiz(questions=2, draw=2)
    return CoursePage.objects.get()


def filled(course, *, skip=()) -> bytes:
    """The exported file with every entry translated as "EN <context>"."""
    po = polib.pofile("\n" + course_po_export(course=course, language="en").decode())
    for entry in po:
        if entry.msgctxt not in skip:
            entry.msgstr = (
                f"<p>EN {entry.msgctxt}</p>"
                if entry.msgid.startswith("<p")
                else f"EN {entry.msgctxt}"
            )
    return str(po).encode()


def test_export_translate_import_shows_the_course_in_english(client, course):
    report = course_po_import(course=course, language="en", data=filled(course))
    assert report.translated > 10 and not report.skipped_old
    lesson = LessonPage.objects.child_of(course).first()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(lesson.url).content.decode()
    assert f"EN page:{lesson.pk}:title" in body
    assert "Sample translation" in body
    question = Question.objects.first()
    kept = QuestionTranslation.objects.get(question=question)
    assert kept.text == f"EN question:{question.pk}:text"
    assert kept.choices[0] == f"EN question:{question.pk}:choice:0"
    # Exported again: the translations come back as they are.
    again = polib.pofile("\n" + course_po_export(course=course, language="en").decode())
    assert all(entry.msgstr for entry in again)


def test_after_a_vietnamese_edit_the_segment_is_listed_stale_and_exported_fuzzy(
    course,
):
    course_po_import(course=course, language="en", data=filled(course))
    assert stale_segments(course=course, language="en") == []
    lesson = LessonPage.objects.child_of(course).first()
    lesson.title = "Tên bài đã sửa"
    lesson.save_revision().publish()
    question = Question.objects.first()
    question.text = "Câu hỏi đã sửa?"
    question.save()

    stale = stale_segments(course=course, language="en")
    assert {(s.where, s.key) for s in stale} == {
        ("Tên bài đã sửa", "title"),
        ("Câu hỏi đã sửa?", "question"),
    }
    po = polib.pofile("\n" + course_po_export(course=course, language="en").decode())
    entry = po.find(f"page:{lesson.pk}:title", by="msgctxt")
    assert entry.msgid == "Tên bài đã sửa" and "fuzzy" in entry.flags
    out = io.StringIO()
    call_command("course_translation", "stale", course.pk, "en", stdout=out)
    assert "Tên bài đã sửa — title" in out.getvalue()


def test_a_file_exported_before_an_edit_does_not_translate_the_new_text(course):
    old = filled(course)
    lesson = LessonPage.objects.child_of(course).first()
    lesson.title = "Tên bài mới"
    lesson.save_revision().publish()
    report = course_po_import(course=course, language="en", data=old)
    assert f"page:{lesson.pk}:title" in report.skipped_old
    assert "title" not in PageTranslation.objects.get(page=lesson).segments


def test_the_command_round_trip(course, tmp_path, capsysbinary):
    call_command("course_translation", "export", course.pk, "en")
    exported = capsysbinary.readouterr().out
    assert b"X-Hocvuso-Course" in exported
    path = tmp_path / "course.en.po"
    path.write_bytes(filled(course))
    out = io.StringIO()
    call_command(
        "course_translation",
        "import",
        course.pk,
        "en",
        str(path),
        "--reviewed",
        stdout=out,
    )
    assert "Đã nhập" in out.getvalue()
    assert all(t.reviewed for t in PageTranslation.objects.all())


def hostile_files(course, other_course_id, tmp_path):
    good = filled(course)
    # A good file's path as the upload: polib would read it from the disk.
    on_disk = tmp_path / "good.po"
    on_disk.write_bytes(good)
    lesson = LessonPage.objects.child_of(course).first()
    return [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "ký tự NUL"),
        (b"\xff\xfe not utf-8 \xc3", "mã UTF-8"),
        (b'msgid "unterminated', "không phải tệp dịch xuất từ"),
        (str(on_disk).encode(), "không phải tệp PO hợp lệ"),
        (b"#" * (2 * 1024 * 1024 + 1), "lớn quá 2 MB"),
        (
            good.replace(
                f"X-Hocvuso-Course: {course.pk}".encode(),
                f"X-Hocvuso-Course: {other_course_id}".encode(),
            ),
            "khóa học khác",
        ),
        (good.replace(b"Language: en", b"Language: vi"), "ngôn ngữ khác"),
        (
            good.replace(
                f'msgctxt "page:{lesson.pk}:title"'.encode(), b'msgctxt "page:1:title"'
            ),
            "không thuộc khóa học này",
        ),
        (
            good.replace(
                f'msgstr "EN page:{lesson.pk}:title"'.encode(), b'msgstr "Bad\x07title"'
            ),
            "ký tự điều khiển",
        ),
    ]


def test_hostile_files_are_refused_with_a_message_and_change_nothing(course, tmp_path):
    hostile = hostile_files(course, other_course_id=course.pk + 1000, tmp_path=tmp_path)
    for data, message in hostile:
        with translation.override("vi"):
            with pytest.raises(ValidationError) as refused:
                course_po_import(course=course, language="en", data=data)
            assert message in " ".join(refused.value.messages), message
    assert not PageTranslation.objects.exists()
    assert not QuestionTranslation.objects.exists()


def test_the_command_refuses_a_missing_file_and_a_wrong_language(course):
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("course_translation", "import", course.pk, "en", "/nope.po")
    with pytest.raises(CommandError, match="không phải ngôn ngữ nội dung"):
        call_command("course_translation", "export", course.pk, "xx")
