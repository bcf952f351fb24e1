"""The CMS's "Bản dịch" screens (issue 22): the translator's round trip
without a shell, refused to everyone without the translators' right, and
every hostile upload answered with a Vietnamese message, never a 500."""

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, Unit, UnitLevel

from courses.models import CoursePage, LessonPage, PageTranslation
from quizzes.models import Question, QuestionTranslation
from quizzes.translation_po import course_po_export

from .test_translation_po import filled, hostile_files

pytestmark = pytest.mark.django_db

PASSWORD = "Matkhau@2025"


@pytest.fixture
def course(make_quiz):
    make_quiz(questions=2, draw=2)
    return CoursePage.objects.get()


@pytest.fixture
def translator(db):
    user = User.objects.create_user(
        username="nguoi_dich", password=PASSWORD, full_name="Người Dịch"
    )
    # The group the migration makes: into the CMS, to these screens only.
    user.groups.add(Group.objects.get(name="Người dịch"))
    return user


def urls(course, language="en") -> dict[str, str]:
    args = [course.pk, language]
    return {
        "list": reverse("quizzes_translations"),
        "download": reverse("quizzes_translation_download", args=args),
        "upload": reverse("quizzes_translation_upload", args=args),
        "stale": reverse("quizzes_translation_stale", args=args),
    }


def upload(client, course, data: bytes, *, name="khoa-hoc.en.po", **extra):
    return client.post(
        urls(course)["upload"],
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def test_the_translator_downloads_fills_and_uploads_and_sees_the_counts(
    client, course, translator
):
    client.force_login(translator)
    home = client.get("/cms/").content.decode()
    assert urls(course)["list"] in home  # the menu item "Bản dịch"
    listing = client.get(urls(course)["list"]).content.decode()
    assert course.title in listing
    exported = course_po_export(course=course, language="en").decode()
    total = len(polib.pofile("\n" + exported))
    assert f'data-count="missing">{total}<' in listing

    download = client.get(urls(course)["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="khoa-hoc-{course.pk}.en.po"'
    )
    assert f"X-Hocvuso-Course: {course.pk}" in download.content.decode()

    page = upload(client, course, filled(course)).content.decode()
    assert f"Đã nhập: {total} đoạn mới · 0 đoạn cập nhật · 0 đoạn không đổi" in page
    lesson = LessonPage.objects.child_of(course).first()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"EN page:{lesson.pk}:title" in client.get(lesson.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    again = upload(client, course, filled(course)).content.decode()
    assert f"0 đoạn mới · 0 đoạn cập nhật · {total} đoạn không đổi" in again
    listing = client.get(urls(course)["list"]).content.decode()
    assert f'data-count="translated">{total}<' in listing
    assert 'data-count="missing">0<' in listing


def test_a_changed_entry_counts_as_updated_and_reviewed_is_kept_when_ticked(
    client, course, translator
):
    client.force_login(translator)
    upload(client, course, filled(course))
    po = polib.pofile("\n" + course_po_export(course=course, language="en").decode())
    po[0].msgstr = "A better title"
    page = upload(client, course, str(po).encode(), reviewed="on").content.decode()
    assert "0 đoạn mới · 1 đoạn cập nhật" in page
    assert PageTranslation.objects.get(page=course).reviewed


def test_after_an_edit_the_stale_page_lists_the_segment(client, course, translator):
    client.force_login(translator)
    upload(client, course, filled(course))
    lesson = LessonPage.objects.child_of(course).first()
    lesson.title = "Tên bài đã sửa"
    lesson.save_revision().publish()
    listing = client.get(urls(course)["list"]).content.decode()
    assert f'<a href="{urls(course)["stale"]}">1</a>' in listing
    stale = client.get(urls(course)["stale"]).content.decode()
    assert "Tên bài đã sửa" in stale and "<code>title</code>" in stale
    # The file exported before the edit: the changed entry is rejected, listed.
    po = polib.pofile("\n" + course_po_export(course=course, language="en").decode())
    entry = po.find(f"page:{lesson.pk}:title", by="msgctxt")
    entry.msgid = "Tên bài cũ"
    entry.flags = []
    page = upload(client, course, str(po).encode()).content.decode()
    assert "1 đoạn bị từ chối" in page and f"page:{lesson.pk}:title" in page


def test_hostile_uploads_get_a_vietnamese_message_and_change_nothing(
    client, course, translator, tmp_path
):
    client.force_login(translator)
    lesson = LessonPage.objects.child_of(course).first()
    good = filled(course)
    hostile = hostile_files(course, other_course_id=course.pk + 1000, tmp_path=tmp_path)
    hostile += [
        (
            good.replace(
                f'msgctxt "page:{lesson.pk}:title"'.encode(),
                f'msgctxt "page:{lesson.pk}:khong-co"'.encode(),
            ),
            "không có trong khóa học",
        ),
        (
            good.replace(
                f'msgctxt "question:{Question.objects.first().pk}:text"'.encode(),
                b'msgctxt "question:999999:text"',
            ),
            "không thuộc khóa học này",
        ),
        (b"\x00", "ký tự NUL"),
    ]
    for data, message in hostile:
        response = upload(client, course, data)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    response = upload(client, course, good, name="../../khoa-hoc.exe")
    assert response.status_code == 400
    assert "Hãy chọn tệp .po" in response.content.decode()
    response = client.post(urls(course)["upload"], {"file": "không phải tệp"})
    assert response.status_code == 400
    assert not PageTranslation.objects.exists()
    assert not QuestionTranslation.objects.exists()


def test_script_and_formula_text_from_a_translator_is_shown_as_text(
    client, course, translator
):
    client.force_login(translator)
    lesson = LessonPage.objects.child_of(course).first()
    po = polib.pofile("\n" + filled(course).decode())
    po.find(
        f"page:{lesson.pk}:title", by="msgctxt"
    ).msgstr = '<script>alert(1)</script>=HYPERLINK("http://x")'
    body = next(e for e in po if e.msgid.startswith("<p"))
    body.msgstr = '<p onclick="alert(2)">Text<script>alert(3)</script></p>'
    assert upload(client, course, str(po).encode()).status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(lesson.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;=HYPERLINK" in page
    assert "alert(1)</script>" not in page
    assert "alert(2)" not in page and "<script>alert(3)" not in page


def test_a_language_or_course_that_does_not_exist_is_not_found(
    client, course, translator
):
    client.force_login(translator)
    for path in urls(course, language="xx").values():
        if path != reverse("quizzes_translations"):
            assert client.get(path).status_code == 404
    assert client.get(urls(course, language="vi")["download"]).status_code == 404
    missing = reverse("quizzes_translation_download", args=[course.pk + 1000, "en"])
    assert client.get(missing).status_code == 404


def _commune_admin() -> User:
    province = Unit.add_root(
        code="98", name="Tỉnh Thử", level=UnitLevel.PROVINCE, kind="tỉnh"
    )
    commune = province.add_child(
        code="98001", name="Xã Thử", level=UnitLevel.COMMUNE, kind="xã"
    )
    user = User.objects.create_user(username="qt_xa", password=PASSWORD)
    AdminRole.objects.create(user=user, role=AdminRoleKind.COMMUNE_ADMIN, unit=commune)
    return user


def _editor() -> User:
    user = User.objects.create_user(username="bien_tap", password=PASSWORD)
    province = Unit.add_root(
        code="97", name="Tỉnh Biên Tập", level=UnitLevel.PROVINCE, kind="tỉnh"
    )
    AdminRole.objects.create(
        user=user, role=AdminRoleKind.CONTENT_EDITOR, unit=province
    )
    return user


def test_editors_and_unit_admins_reach_neither_screen_nor_the_menu(
    client, course, translator
):
    for user in (_editor(), _commune_admin()):
        client.force_login(user)
        for path in urls(course).values():
            response = client.get(path)
            assert response.status_code in (302, 403), (user, path)
            assert not response.has_header("Content-Disposition")
        assert upload(client, course, filled(course)).status_code in (302, 403)
        assert client.get(reverse("province_sites_add")).status_code in (302, 403)
    assert not PageTranslation.objects.exists()
    client.force_login(translator)
    # A translator is not the national administrator.
    assert client.get(reverse("province_sites_add")).status_code in (302, 403)
    assert reverse("province_sites_add") not in client.get("/cms/").content.decode()
