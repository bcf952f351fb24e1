"""Bulk import of learners and team members (DESIGN §5.7): every bad row is
reported in Vietnamese and creates nothing; good rows are written; the same
file imported again changes nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from hocvuso.accounts import sms
from hocvuso.accounts.import_files import headers, read_table
from hocvuso.accounts.models import ImportJob, LearnerType, User
from hocvuso.orgunits.models import TeamMembership, Unit
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

GOOD = [
    # họ và tên, số điện thoại, năm sinh, mã xã, thôn, tổ, vai trò
    [
        "Nguyễn Văn An",
        "0912 000 101",
        "1985",
        "90000",
        "Thôn 0.0.0",
        "Tổ CNSCĐ xã 0.0",
        "tổ trưởng",
    ],
    [
        "Trần Thị Bình",
        "+84912000102",
        "",
        "90000",
        "thon 0.0.1",
        "to cnscđ thon 0.0.1",
        "Thành viên",
    ],
    ["Lê Văn Cường", "0912.000.103", "2000", "90000", "", "", ""],
    ["Phạm Thị Dung", "0912000104", "1970", "90000", "", "", ""],
    ["Hoàng Văn Em", "0912000105", "", "90000", "", "Tổ CNSCĐ thôn 0.0.2", ""],
]

# (kind, row, a piece of the message shown for it)
BAD = [
    ("thiếu tên", ["", "0912000201", "1990", "90000", "", "", ""], "Thiếu họ và tên."),
    (
        "tên quá dài",
        ["A" * 151, "0912000202", "", "90000", "", "", ""],
        "dài quá 150 ký tự",
    ),
    (
        "tên có chữ số",
        ["Nguyễn Văn 3", "0912000203", "", "90000", "", "", ""],
        "có chữ số hoặc ký tự đặc biệt",
    ),
    (
        "tên là công thức",
        ['=HYPERLINK("x")', "0912000204", "", "90000", "", "", ""],
        "có chữ số hoặc ký tự đặc biệt",
    ),
    ("thiếu số", ["Đỗ Văn Giang", "", "", "90000", "", "", ""], "Thiếu số điện thoại."),
    (
        "số có chữ",
        ["Đỗ Văn Hải", "09abc12345", "", "90000", "", "", ""],
        "Số điện thoại không hợp lệ",
    ),
    (
        "số quá ngắn",
        ["Đỗ Văn Hùng", "09123", "", "90000", "", "", ""],
        "Số điện thoại không hợp lệ",
    ),
    (
        "số nước ngoài",
        ["Đỗ Văn Khang", "+1 202 555 0100", "", "90000", "", "", ""],
        "Số điện thoại không hợp lệ",
    ),
    (
        "số trùng trong tệp",
        ["Đỗ Văn Lâm", "0912000101", "", "90000", "", "", ""],
        "trùng với dòng 2 trong tệp",
    ),
    (
        "năm sinh sai dạng",
        ["Đỗ Văn Minh", "0912000210", "19a0", "90000", "", "", ""],
        "Năm sinh “19a0” không hợp lệ",
    ),
    (
        "năm sinh quá xa",
        ["Đỗ Văn Nam", "0912000211", "1850", "90000", "", "", ""],
        "Năm sinh phải trong khoảng 1900–",
    ),
    (
        "năm sinh tương lai",
        ["Đỗ Văn Oanh", "0912000212", "2090", "90000", "", "", ""],
        "Năm sinh phải trong khoảng 1900–",
    ),
    ("thiếu mã xã", ["Đỗ Văn Phúc", "0912000213", "", "", "", "", ""], "Thiếu mã xã."),
    (
        "mã xã sai dạng",
        ["Đỗ Văn Quang", "0912000214", "", "9000", "", "", ""],
        "Mã xã “9000” phải gồm 5 chữ số",
    ),
    (
        "mã xã không có",
        ["Đỗ Văn Sơn", "0912000215", "", "99999", "", "", ""],
        "Không có xã, phường mã 99999",
    ),
    (
        "xã khác cùng tỉnh",
        ["Đỗ Văn Tâm", "0912000216", "", "90001", "", "", ""],
        "Xã, phường mã 90001 không thuộc phạm vi quản lý của bạn.",
    ),
    (
        "xã tỉnh khác",
        ["Đỗ Văn Út", "0912000217", "", "91000", "", "", ""],
        "Xã, phường mã 91000 không thuộc phạm vi quản lý của bạn.",
    ),
    (
        "thôn không có",
        ["Đỗ Văn Vinh", "0912000218", "", "90000", "Thôn Không Có", "", ""],
        "Xã Thử 0.0 không có thôn, tổ dân phố “Thôn Không Có”.",
    ),
    (
        "tổ không có",
        ["Đỗ Văn Xuân", "0912000219", "", "90000", "", "Tổ Ma", ""],
        "Xã Thử 0.0 không có tổ công nghệ số “Tổ Ma”.",
    ),
    (
        "tổ của xã khác",
        ["Đỗ Văn Yên", "0912000220", "", "90000", "", "Tổ CNSCĐ xã 0.1", ""],
        "không có tổ công nghệ số “Tổ CNSCĐ xã 0.1”",
    ),
    (
        "tổ của thôn khác",
        [
            "Đỗ Thị Ánh",
            "0912000221",
            "",
            "90000",
            "Thôn 0.0.0",
            "Tổ CNSCĐ thôn 0.0.1",
            "",
        ],
        "Tổ “Tổ CNSCĐ thôn 0.0.1” không thuộc thôn, tổ dân phố “Thôn 0.0.0”.",
    ),
    (
        "vai trò sai",
        [
            "Đỗ Thị Bích",
            "0912000222",
            "",
            "90000",
            "",
            "Tổ CNSCĐ xã 0.0",
            "trưởng thôn",
        ],
        "Vai trò “trưởng thôn” không hợp lệ",
    ),
    (
        "vai trò không có tổ",
        ["Đỗ Thị Cúc", "0912000223", "", "90000", "", "", "tổ trưởng"],
        "chỉ dùng cho thành viên một tổ",
    ),
    (
        "hai tổ trưởng",
        [
            "Đỗ Thị Dịu",
            "0912000224",
            "",
            "90000",
            "",
            "Tổ CNSCĐ xã 0.0",
            "Tổ trưởng",
        ],
        "Tổ “Tổ CNSCĐ xã 0.0” đã có tổ trưởng ở dòng 2.",
    ),
    (
        "số của tài khoản quản trị",
        ["Đỗ Thị Duyên", "0912000225", "", "90000", "", "", ""],
        "thuộc một tài khoản quản trị",
    ),
    (
        "số của người tỉnh khác",
        ["Đỗ Thị Én", "0912000226", "", "90000", "", "", ""],
        "đã thuộc một tài khoản ngoài phạm vi quản lý của bạn",
    ),
]


def _csv(rows, header=None) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or headers())
    writer.writerows(rows)
    return SimpleUploadedFile("danh-sach.csv", out.getvalue().encode("utf-8"))


def _upload(client, upload) -> ImportJob:
    response = client.post(reverse("import_start"), {"file": upload})
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def _confirm(client, job, delivery="sms") -> ImportJob:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("import_confirm", args=[job.pk]), {"delivery": delivery}
        )
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def _state() -> tuple:
    users = list(
        User.objects.order_by("pk").values_list(
            "pk",
            "phone",
            "full_name",
            "birth_year",
            "unit_id",
            "learner_type",
            "password",
        )
    )
    members = list(
        TeamMembership.objects.order_by("pk").values_list("team_id", "user_id", "role")
    )
    return users, members


@pytest.fixture
def commune_admin(client, org_tree):
    # An account of the importer's commune (signed up on its own): row G4 updates it.
    User.objects.create_user(
        username="dung",
        phone="+84912000104",
        full_name="Dung",
        unit=org_tree.communes[0],
    )
    User.objects.create_user(
        username="staff", phone="+84912000225", full_name="Cán bộ", is_staff=True
    )
    User.objects.create_user(
        username="xa_khac",
        phone="+84912000226",
        full_name="Người xã khác",
        unit=org_tree.communes[3],
    )
    client.force_login(org_tree.admins["commune0.0"])
    return org_tree.admins["commune0.0"]


def test_bad_rows_are_reported_and_create_nothing(client, org_tree, commune_admin):
    assert len({kind for kind, _row, _message in BAD}) >= 20
    rows = GOOD + [row for _kind, row, _message in BAD]
    before_users = User.objects.count()

    job = _upload(client, _csv(rows))
    assert User.objects.count() == before_users  # the dry run writes no account
    outcomes = {o["n"]: o for o in job.outcomes}
    assert len(outcomes) == len(rows)
    for offset, (kind, row, message) in enumerate(BAD):
        outcome = outcomes[2 + len(GOOD) + offset]
        assert outcome["cells"]["phone"] == row[1]
        assert any(message in error for error in outcome["errors"]), (kind, outcome)
    assert [outcomes[n]["action"] for n in range(2, 2 + len(GOOD))] == [
        "create",
        "create",
        "create",
        "update",
        "create",
    ]
    assert (job.created, job.updated, job.unchanged, job.failed) == (4, 1, 0, len(BAD))
    page = client.get(reverse("import_detail", args=[job.pk]))
    assert "Thiếu họ và tên." in page.text and "Tạo mới" in page.text

    failed = client.get(reverse("import_failed", args=[job.pk]))
    failed_rows = list(
        csv.reader(io.StringIO(failed.content.decode("utf-8-sig")), delimiter=";")
    )
    assert failed_rows[0] == [*headers(), "lỗi"]
    assert len(failed_rows) == 1 + len(BAD)
    assert "Thiếu họ và tên." in failed_rows[1][-1]

    job = _confirm(client, job)
    assert job.status == "done"
    assert (job.created, job.updated, job.failed) == (4, 1, len(BAD))
    assert User.objects.count() == before_users + 4
    bad_phones = [f"+849120002{n:02d}" for n in range(1, 25)]
    assert not User.objects.filter(phone__in=bad_phones).exists()
    bad_names = [row[0] for _kind, row, _message in BAD if row[0]]
    assert not User.objects.filter(full_name__in=bad_names).exists()

    an = User.objects.get(phone="+84912000101")
    assert an.full_name == "Nguyễn Văn An" and an.birth_year == 1985
    assert an.unit == Unit.objects.get(name="Thôn 0.0.0")
    assert an.learner_type == LearnerType.TEAM_MEMBER
    assert not an.has_usable_password()
    assert an.team_memberships.get().role == "leader"
    binh = User.objects.get(phone="+84912000102")
    assert binh.team_memberships.get().team.name == "Tổ CNSCĐ thôn 0.0.1"
    assert binh.unit.name == "Thôn 0.0.1"
    assert User.objects.get(phone="+84912000103").learner_type == LearnerType.CITIZEN
    dung = User.objects.get(phone="+84912000104")
    assert (dung.username, dung.full_name) == ("dung", "Phạm Thị Dung")
    assert dung.unit == org_tree.communes[0]
    # New accounts are invited by SMS; the updated one is not.
    assert sorted(m.to for m in sms.outbox) == [
        "+84912000101",
        "+84912000102",
        "+84912000103",
        "+84912000105",
    ]
    assert "Gửi mã đăng nhập cho tôi" in sms.outbox[0].text

    # The same file again: nothing to write, nothing written.
    state = _state()
    sms.outbox.clear()
    again = _upload(client, _csv(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(GOOD))
    again = _confirm(client, again) if again.created or again.updated else again
    assert _state() == state and sms.outbox == []

    # A changed row updates the account found by its phone number.
    changed = [row[:] for row in GOOD]
    changed[0][0] = "Nguyễn Văn Ân"
    changed[0][6] = "thành viên"
    job = _confirm(client, _upload(client, _csv(changed)))
    assert (job.created, job.updated, job.unchanged) == (0, 1, len(GOOD) - 1)
    an.refresh_from_db()
    assert an.full_name == "Nguyễn Văn Ân"
    assert an.team_memberships.get().role == "member"
    assert User.objects.filter(phone="+84912000101").count() == 1


def test_whole_file_problems_are_explained(client, commune_admin):
    response = client.post(
        reverse("import_start"),
        {"file": _csv([["An", "0912000101"]], header=["tên", "điện thoại"])},
    )
    assert response.status_code == 400
    assert "Tệp thiếu cột: họ và tên, số điện thoại, mã xã." in response.text
    bad_type = SimpleUploadedFile("danh-sach.pdf", b"%PDF-1.4")
    response = client.post(reverse("import_start"), {"file": bad_type})
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in response.text
    latin = SimpleUploadedFile("a.csv", "họ và tên\n".encode("utf-16"))
    response = client.post(reverse("import_start"), {"file": latin})
    assert "UTF-8" in response.text
    broken = SimpleUploadedFile("a.xlsx", b"not a zip")
    response = client.post(reverse("import_start"), {"file": broken})
    assert "Không đọc được tệp Excel" in response.text
    assert not ImportJob.objects.exists()


def test_xlsx_template_round_trip_and_password_sheet(client, org_tree, commune_admin):
    response = client.get(reverse("import_template_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "họ và tên",
        "số điện thoại",
        "năm sinh",
        "mã xã",
        "thôn/tổ dân phố",
        "tổ CNSCĐ",
        "vai trò",
    ]
    sheet.append(["Vũ Thị Hoa", "0912000301", 1990, "90000", "", "Tổ CNSCĐ xã 0.0", ""])
    # A phone typed into a number cell loses its leading zero; it comes back.
    sheet.append(["Vũ Văn Hòa", 912000302, None, 90000, "", "", ""])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("danh-sach.xlsx", out.getvalue())
    rows = read_table(io.BytesIO(out.getvalue()), "danh-sach.xlsx")
    assert rows[2][1] == "0912000302"
    job = _confirm(client, _upload(client, upload), delivery="sheet")
    assert (job.status, job.created) == ("done", 2)
    assert sms.outbox == []
    sheet_page = client.get(reverse("import_password_sheet", args=[job.pk]))
    name, phone, password = job.passwords[0]
    assert (name, phone) == ("Vũ Thị Hoa", "0912 000 301")
    assert password in sheet_page.text

    # Another administrator cannot see this import.
    client.force_login(org_tree.admins["commune0.1"])
    assert client.get(reverse("import_detail", args=[job.pk])).status_code == 404
    assert (
        client.get(reverse("import_password_sheet", args=[job.pk])).status_code == 404
    )

    # The member logs in with the printed password and must change it first.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "0912 000 301", "password": password}
    )
    assert response.status_code == 302
    response = client.get(reverse("my_courses"))
    assert response.status_code == 302
    assert response.url == reverse("account_change_password")
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "Hoa@2026moi",
            "password2": "Hoa@2026moi",
        },
    )
    assert response.status_code == 302
    hoa = User.objects.get(phone="+84912000301")
    assert not hoa.must_change_password
    assert client.get(reverse("profile")).status_code == 200

    # Once printed, the administrator clears the passwords.
    client.force_login(commune_admin)
    client.post(reverse("import_password_sheet", args=[job.pk]))
    job.refresh_from_db()
    assert job.passwords == []


def test_import_pages_need_an_administrator(client, org_tree):
    client.force_login(org_tree.admins["learner"])
    assert client.get(reverse("import_start")).status_code == 403
    assert client.get(reverse("import_template_xlsx")).status_code == 403
    client.logout()
    assert client.get(reverse("import_start")).status_code == 302


def test_progress_bar_polls_while_the_run_goes_on(client, commune_admin):
    job = ImportJob.objects.create(
        created_by=commune_admin,
        file_name="lon.csv",
        status="running",
        total=200,
        processed=50,
    )
    fragment = client.get(reverse("import_progress", args=[job.pk])).text
    assert 'hx-trigger="every 1s"' in fragment
    assert "50/200 dòng (25%)" in fragment and 'value="25"' in fragment
    ImportJob.objects.filter(pk=job.pk).update(status="done", processed=200)
    fragment = client.get(reverse("import_progress", args=[job.pk])).text
    assert "hx-trigger" not in fragment and "200/200 dòng (100%)" in fragment


def test_commune_admin_cannot_take_over_an_account_with_no_unit(
    client, org_tree, commune_admin
):
    """Issue 14.8: a self-registered citizen has no unit yet; importing their
    phone moved them into the importer's commune and renamed them. An account
    outside the importer's scope, unit or not, is not theirs to change."""
    citizen = User.objects.create_user(
        username="tu_dang_ky",
        phone="+84912000300",
        full_name="Người Tự Đăng Ký",
        password="Matkhau@2025",
    )
    row = ["Tên Do Xã Đặt", "0912000300", "1990", "90000", "", "", ""]
    before = _state()
    job = _upload(client, _csv([row]))
    assert job.outcomes[0]["errors"] == [
        "Số điện thoại đã thuộc một tài khoản ngoài phạm vi quản lý của bạn."
    ]
    assert job.failed == 1 and job.updated == 0
    page = client.get(reverse("import_detail", args=[job.pk]))
    assert "ngoài phạm vi quản lý của bạn" in page.text
    _confirm(client, job)
    assert _state() == before
    citizen.refresh_from_db()
    assert citizen.unit is None and citizen.full_name == "Người Tự Đăng Ký"
    assert citizen.check_password("Matkhau@2025")
