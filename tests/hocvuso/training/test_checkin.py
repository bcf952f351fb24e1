"""Attendance: the rotating QR, the spoken code, the trainer's hand; late
arrivals and walk-ins recorded as such."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.training import checkin
from hocvuso.training.models import Attendance, TrainingClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_class(make_class, members):
    """A class that started five minutes ago."""
    training_class = make_class()
    now = timezone.now()
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2)
    )
    training_class.refresh_from_db()
    return training_class


def _qr_url(training_class, *, age: float = 0) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - age):
        token = checkin.qr_token(training_class.pk)
    return reverse("training_checkin") + "?t=" + token


def _attendance(training_class, user):
    return Attendance.objects.filter(training_class=training_class, user=user).first()


def test_invited_member_scanning_a_fresh_qr_is_present(client, open_class, members):
    client.force_login(members[0])
    response = client.get(_qr_url(open_class))
    assert response.status_code == 200
    assert "Bạn có mặt ở lớp “Lớp kỹ năng số”." in response.content.decode()
    # A shared phone's back button keeps no copy of a check-in.
    assert "no-store" in response["Cache-Control"]
    attendance = _attendance(open_class, members[0])
    assert attendance.method == "qr"
    assert not attendance.late and not attendance.walk_in
    # Scanning again changes nothing.
    client.get(_qr_url(open_class))
    assert Attendance.objects.count() == 1


def test_a_forwarded_expired_qr_is_refused(client, open_class, members):
    client.force_login(members[1])
    response = client.get(_qr_url(open_class, age=checkin.QR_MAX_AGE + 5))
    assert response.status_code == 403
    assert "Mã QR này đã hết hạn hoặc không hợp lệ." in response.content.decode()
    assert _attendance(open_class, members[1]) is None


@pytest.mark.parametrize(
    "token",
    ["", "1", "abc:def:ghi", "1:1:1" * 50, "\x00", "' OR 1=1 --", "١٢٣"],
)
def test_forged_tokens_are_refused(client, open_class, members, token):
    client.force_login(members[0])
    response = client.get(reverse("training_checkin"), {"t": token})
    assert response.status_code == 403
    assert "không hợp lệ" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_logged_out_scan_marks_present_after_logging_in(client, open_class, members):
    response = client.get(_qr_url(open_class))
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/login/?next=/diem-danh/")
    # The token expires while the learner types their password.
    response = client.post(
        response["Location"],
        {"login": members[0].username, "password": "Matkhau@2025"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.get(response["Location"])
    assert "Bạn có mặt ở lớp" in response.content.decode()
    assert _attendance(open_class, members[0]) is not None


def test_a_pending_scan_older_than_the_login_grace_is_refused(
    client, open_class, members
):
    client.get(_qr_url(open_class))
    session = client.session
    session["training_checkin"]["at"] -= checkin.LOGIN_GRACE.total_seconds() + 1
    session.save()
    client.force_login(members[0])
    response = client.get(reverse("training_checkin"))
    assert response.status_code == 403
    assert "Đã quá lâu từ lúc quét mã QR." in response.content.decode()
    assert _attendance(open_class, members[0]) is None


def test_a_late_walk_in_is_recorded_as_such(client, open_class, make_learner):
    TrainingClass.objects.filter(pk=open_class.pk).update(
        starts_at=timezone.now() - checkin.LATE_AFTER - timedelta(minutes=1)
    )
    stranger = make_learner()
    client.force_login(stranger)
    response = client.get(_qr_url(open_class))
    page = response.content.decode()
    assert "Ghi nhận: đến muộn." in page
    assert "không có trong danh sách mời" in page
    attendance = _attendance(open_class, stranger)
    assert attendance.late and attendance.walk_in


def test_a_qr_of_a_class_not_yet_open_is_refused(client, make_class, members):
    training_class = make_class()  # in ten days
    client.force_login(members[0])
    response = client.get(_qr_url(training_class))
    assert response.status_code == 403
    assert "chưa mở điểm danh" in response.content.decode()


def test_the_code_read_out_in_a_video_conference(client, open_class, members):
    client.force_login(members[2])
    url = reverse("training_checkin_code")
    response = client.post(url, {"code": "abc"})
    assert response.status_code == 400
    assert "Mã điểm danh gồm 6 chữ số." in response.content.decode()
    now = timezone.now()
    code = checkin.spoken_code(open_class.pk, at=now)
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    response = client.post(url, {"code": wrong})
    assert "Mã không đúng hoặc đã hết hạn." in response.content.decode()
    assert _attendance(open_class, members[2]) is None
    response = client.post(url, {"code": f" {code[:3]} {code[3:]} "})
    assert "Bạn có mặt ở lớp" in response.content.decode()
    assert _attendance(open_class, members[2]).method == "code"


def test_an_old_code_is_refused():
    now = timezone.now()
    code = checkin.spoken_code(7, at=now)
    assert checkin.spoken_code_matches(7, code, at=now)
    later = now + timedelta(seconds=checkin.CODE_WINDOW)
    assert checkin.spoken_code_matches(7, code, at=later)  # read a moment ago
    much_later = now + timedelta(seconds=2 * checkin.CODE_WINDOW)
    assert not checkin.spoken_code_matches(7, code, at=much_later)
    assert not checkin.spoken_code_matches(8, code, at=now) or code == (
        checkin.spoken_code(8, at=now)
    )


def test_guessing_codes_is_stopped(client, open_class, members):
    client.force_login(members[2])
    url = reverse("training_checkin_code")
    code = checkin.spoken_code(open_class.pk, at=timezone.now())
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    for _ in range(10):
        client.post(url, {"code": wrong})
    response = client.post(url, {"code": code})
    assert "Bạn đã nhập sai quá nhiều lần." in response.content.decode()
    assert _attendance(open_class, members[2]) is None


def test_the_trainer_marks_by_hand_and_finds_walk_ins_by_phone(
    client, org_tree, open_class, members, make_learner
):
    walk_in = make_learner(unit=org_tree.villages[2], phone="+84912345678")
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("training_class_mark", args=[open_class.pk])
    client.post(url, {"user": members[1].pk, "action": "present"})
    response = client.post(url, {"phone": "0912 345 678"}, follow=True)
    assert "Đã đánh dấu có mặt: Học viên" in response.content.decode()
    assert _attendance(open_class, members[1]).method == "manual"
    assert _attendance(open_class, walk_in).walk_in
    client.post(url, {"user": members[1].pk, "action": "absent"})
    assert _attendance(open_class, members[1]) is None


@pytest.mark.parametrize(
    "data",
    [
        {"user": ""},
        {"user": "abc"},
        {"user": "9" * 40},
        {"user": "-1"},
        {"user": "\x00"},
        {"phone": "\x00"},
        {"phone": "không phải số"},
        {"phone": "0987 000 000"},  # no such account
    ],
)
def test_hostile_hand_marks_get_a_message(client, org_tree, open_class, data):
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("training_class_mark", args=[open_class.pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hãy chọn một người trong danh sách, hoặc nhập số điện thoại" in page
    assert not Attendance.objects.exists()


def test_a_person_outside_the_list_cannot_be_marked_by_id(client, org_tree, open_class):
    """By id only the list's people; anyone else by phone, within scope."""
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("training_class_mark", args=[open_class.pk])
    other = org_tree.admins["commune1.0"]
    client.post(url, {"user": other.pk})
    assert not Attendance.objects.exists()


def test_the_qr_page_and_its_image(client, org_tree, open_class):
    client.force_login(org_tree.admins["commune0.0"])
    page = client.get(reverse("training_class_qr", args=[open_class.pk]))
    assert page.status_code == 200
    png = client.get(reverse("training_class_qr_png", args=[open_class.pk]))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    assert "max-age=0" in png["Cache-Control"]
    state = client.get(reverse("training_class_qr_state", args=[open_class.pk]))
    data = state.json()
    assert data["code"] == checkin.spoken_code(open_class.pk, at=timezone.now())
    assert checkin.qr_token_class_id(data["url"].split("?t=")[1]) == open_class.pk


def test_my_data_lists_the_classes_and_the_check_in(client, open_class, members):
    client.force_login(members[0])
    client.get(_qr_url(open_class))
    response = client.get(reverse("privacy_my_data_download", args=["json"]))
    [row] = response.json()["Lớp tập huấn"]
    assert row["Lớp"] == "Lớp kỹ năng số"
    assert row["Được mời"] == "có" and row["Đến muộn"] == "không"
    assert row["Điểm danh lúc"]


@pytest.mark.parametrize(
    "code", ["", "\x00", "١٢٣٤٥٦", "9" * 1000, "' OR 1=1 --", "12345", "1234567"]
)
def test_hostile_codes_get_a_vietnamese_message(client, open_class, members, code):
    client.force_login(members[0])
    response = client.post(reverse("training_checkin_code"), {"code": code})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mã điểm danh" in page and 'role="alert"' in page
    assert not Attendance.objects.exists()
