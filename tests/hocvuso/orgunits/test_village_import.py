"""Issue 15, finding 7: the village list (typed or a CSV) takes only real
village names; any other file is refused with one clear message and adds
nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hocvuso.accounts.import_files import headers
from hocvuso.orgunits.models import Unit

pytestmark = pytest.mark.django_db

HTML = "<!DOCTYPE html>\n<html><head><title>Trang</title></head>\n<body>\nThôn A\n</body></html>\n"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n<rect width="10" height="10"/>\n</svg>\n'
ACCOUNTS = ",".join(headers()) + "\nNguyễn Văn An,0912000101,,90000,,,\n"


def _post(client, commune, *, name="", file=None):
    data = {"name": name, "kind": "thôn"}
    if file is not None:
        data["file"] = file
    return client.post(reverse("unit_village_add", args=[commune.code]), data)


@pytest.fixture
def commune(client, org_tree):
    client.force_login(org_tree.admins["commune0.0"])
    return org_tree.communes[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HTML, "không hợp lệ"),
        (SVG, "không hợp lệ"),
        (ACCOUNTS, "danh sách tài khoản"),
    ],
)
def test_village_csv_refuses_a_file_that_is_not_a_village_list(
    client, commune, content, message
):
    before = Unit.objects.count()
    upload = SimpleUploadedFile("thon.csv", content.encode("utf-8"))
    response = _post(client, commune, file=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('=HYPERLINK("http://x.example")', "không hợp lệ"),
        ("Thôn\x00Một", "ký tự điều khiển"),
        ("Thôn\x1bMột", "ký tự điều khiển"),
        ("...", "không hợp lệ"),
    ],
)
def test_village_names_follow_the_name_rule(client, commune, name, message):
    before = Unit.objects.count()
    response = _post(client, commune, name=f"Thôn Đông\n{name}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Unit.objects.count() == before


def test_village_file_error_comes_without_a_misleading_second_error(client, commune):
    upload = SimpleUploadedFile("thon.csv", "Thôn Đông\n".encode("utf-16"))
    response = _post(client, commune, file=upload)
    text = response.content.decode()
    assert "Tệp phải là CSV lưu theo mã UTF-8." in text
    assert "Vui lòng nhập tên thôn" not in text


def test_village_csv_with_a_header_and_notes_still_works(client, commune):
    upload = SimpleUploadedFile(
        "thon.csv", "tên thôn,ghi chú\nThôn 1A,mới\nTổ dân phố 5/2\n".encode()
    )
    assert _post(client, commune, file=upload).status_code == 302
    assert Unit.objects.filter(name__in=["Thôn 1A", "Tổ dân phố 5/2"]).count() == 2
