"""Issue 15 (files): a spreadsheet is judged by its size, packed and
unpacked, before it is parsed; rows are streamed and reading stops one row
past the limit; a file with only its header is refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hocvuso.accounts.import_forms import ImportUploadForm
from hocvuso.accounts.models import ImportJob

from courses.models import CoursePage
from quizzes.models import Question

from . import corpus

pytestmark = pytest.mark.django_db
QUESTION_IMPORT = "/cms/cau-hoi/nhap/"
UNPACKED_TOO_LARGE = "Tệp Excel khi giải nén lớn quá"
HEADER_ONLY = "Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào."


@pytest.fixture(scope="module")
def account_bomb() -> bytes:
    return corpus.xlsx_bomb(corpus.ACCOUNT_HEADER, unpacked_mb=100)


@pytest.fixture
def commune_admin(client, org_tree):
    client.force_login(org_tree.admins["commune0.0"])
    return client


@pytest.fixture
def editor(client, make_learner, build_catalog):
    build_catalog(courses=1, lessons=1)
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    return client


def _question_import(client, name: str, content: bytes):
    return client.post(
        QUESTION_IMPORT,
        {
            "course": CoursePage.objects.get().pk,
            "file": SimpleUploadedFile(name, content),
            "dry_run": "on",
        },
    )


def test_zip_bomb_account_import_is_refused_unread(commune_admin, account_bomb):
    response = commune_admin.post(
        reverse("import_start"), {"file": SimpleUploadedFile("bom.xlsx", account_bomb)}
    )
    assert response.status_code == 400
    assert UNPACKED_TOO_LARGE in response.text
    assert not ImportJob.objects.exists()


def test_zip_bomb_question_import_is_refused_unread(editor):
    bomb = corpus.xlsx_bomb(corpus.QUESTION_HEADER, unpacked_mb=100)
    response = _question_import(editor, "bom.xlsx", bomb)
    assert UNPACKED_TOO_LARGE in response.text
    assert "Kết quả từng dòng" not in response.text
    assert not Question.objects.exists()


def test_question_import_has_a_row_limit(editor):
    row = "một đáp án,Câu hỏi?,A,B,1,Vì.\n"
    content = (",".join(corpus.QUESTION_HEADER) + "\n" + row * 5001).encode()
    response = _question_import(editor, "cau-hoi.csv", content)
    assert "Tệp có quá 5000 dòng; hãy chia thành nhiều tệp." in response.text
    assert not Question.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_header_only_account_import_says_no_rows(commune_admin, kind):
    name, content = corpus.spreadsheets(corpus.ACCOUNT_HEADER)[f"header only {kind}"]()
    upload = SimpleUploadedFile(name, content)
    response = commune_admin.post(reverse("import_start"), {"file": upload})
    assert response.status_code == 400
    assert HEADER_ONLY in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_header_only_question_import_says_no_rows(editor, kind):
    name, content = corpus.spreadsheets(corpus.QUESTION_HEADER)[f"header only {kind}"]()
    response = _question_import(editor, name, content)
    assert HEADER_ONLY in response.text
    assert "Kết quả từng dòng" not in response.text


class _Unreadable(io.BytesIO):
    def read(self, *args):
        raise AssertionError("the upload was read before its size was checked")


def test_account_import_size_is_checked_before_reading():
    upload = SimpleUploadedFile("danh-sach.csv", b"")
    upload.file = _Unreadable()
    upload.size = 11 * 1024 * 1024
    form = ImportUploadForm(data={}, files={"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["Tệp lớn quá 10 MB."]
