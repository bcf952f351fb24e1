"""Editing and cancelling a class: the invitees are told of a new time or
place once, a cancelled class stays listed as such and takes no check-in,
and a class that has started keeps its attendance record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts import sms
from hocvuso.training import checkin
from hocvuso.training.models import Attendance, Invitation, TrainingClass
from hocvuso.training.services import (
    CheckinError,
    TrainingError,
    attendance_mark,
    training_class_cancel,
    training_class_update,
    training_summons_send,
)

pytestmark = pytest.mark.django_db


def _form(training_class, **changes) -> dict:
    """What the edit page posts back unchanged, with `changes`."""
    local = timezone.localtime
    data = {
        "title": training_class.title,
        "what": f"c{training_class.course_id}",
        "kind": training_class.kind,
        "place": training_class.place,
        "conference_link": training_class.conference_link,
        "starts_at": local(training_class.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(training_class.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "trainer": training_class.trainer,
        "capacity": str(training_class.capacity),
        "units": list(training_class.invited_units.values_list("code", flat=True)),
        "phones": "",
    }
    data.update(changes)
    return data


def _edit(client, training_class, capture, **changes):
    with capture(execute=True):
        return client.post(
            reverse("training_class_edit", args=[training_class.pk]),
            _form(training_class, **changes),
            follow=True,
        )


@pytest.fixture
def admin_client(client, org_tree):
    client.force_login(org_tree.admins["commune0.0"])
    return client


@pytest.fixture
def future_class(make_class, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        training_class = make_class()
    sms.outbox.clear()
    return training_class


def _started(training_class, *, minutes_ago: int = 5):
    now = timezone.now()
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=now - timedelta(minutes=minutes_ago),
        ends_at=now + timedelta(hours=2),
    )
    training_class.refresh_from_db()
    return training_class


def test_the_edit_page_shows_the_class_filled_in(admin_client, future_class):
    response = admin_client.get(reverse("training_class_edit", args=[future_class.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Lớp kỹ năng số"' in page and 'value="Hội trường xã"' in page


def test_an_unchanged_save_sends_nothing(
    admin_client, future_class, django_capture_on_commit_callbacks
):
    response = _edit(admin_client, future_class, django_capture_on_commit_callbacks)
    assert "Đã lưu thay đổi của lớp." in response.content.decode()
    assert sms.outbox == []


def test_a_new_place_is_sent_once_to_every_invitee(
    admin_client, future_class, members, django_capture_on_commit_callbacks
):
    response = _edit(
        admin_client,
        future_class,
        django_capture_on_commit_callbacks,
        place="Nhà văn hóa thôn 2",
        title="Lớp kỹ năng số (đổi chỗ)",
    )
    page = response.content.decode()
    assert "Đã gửi tin nhắn báo đổi lịch đến 3 người được mời." in page
    assert sorted(m.to for m in sms.outbox) == sorted(m.phone for m in members)
    assert all(
        "đổi lịch" in m.text and "Nhà văn hóa thôn 2" in m.text for m in sms.outbox
    )
    # The same form again (a double tap) changes nothing and sends nothing.
    future_class.refresh_from_db()
    sms.outbox.clear()
    _edit(admin_client, future_class, django_capture_on_commit_callbacks)
    assert sms.outbox == []


def test_a_title_or_trainer_change_alone_sends_no_sms(
    admin_client, future_class, django_capture_on_commit_callbacks
):
    _edit(
        admin_client,
        future_class,
        django_capture_on_commit_callbacks,
        title="Tên mới",
        trainer="Lê Văn Mới",
        capacity="80",
    )
    future_class.refresh_from_db()
    assert (future_class.title, future_class.trainer, future_class.capacity) == (
        "Tên mới",
        "Lê Văn Mới",
        80,
    )
    assert sms.outbox == []


def test_a_new_date_rearms_the_summons_for_that_date(
    future_class, org_tree, members, django_capture_on_commit_callbacks
):
    now = timezone.now()
    # The summons went out for the old date (seven days before it: in 3 days).
    with django_capture_on_commit_callbacks(execute=True):
        assert training_summons_send(now=now + timedelta(days=7, hours=1)) == 3
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change = training_class_update(
            training_class=future_class,
            changed_by=org_tree.admins["commune0.0"],
            title=future_class.title,
            course=future_class.course,
            kind="in_person",
            place=future_class.place,
            starts_at=future_class.starts_at + timedelta(days=20),
            ends_at=future_class.ends_at + timedelta(days=20),
            trainer=future_class.trainer,
            capacity=future_class.capacity,
            invited_units=list(future_class.invited_units.all()),
        )
    assert change.notified == 3 and len(sms.outbox) == 3
    assert change.training_class.summons_sent_at is None
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert training_summons_send(now=now + timedelta(days=27, hours=1)) == 3
    assert all("nhắc bạn dự lớp" in m.text for m in sms.outbox)


def test_a_new_village_invites_its_members_and_a_dropped_one_loses_them(
    admin_client,
    future_class,
    villages,
    members,
    make_learner,
    org_tree,
    django_capture_on_commit_callbacks,
):
    from hocvuso.orgunits.services import team_membership_set

    newcomer = make_learner(unit=villages[2])
    team_membership_set(team_id=org_tree.teams[villages[2].code].pk, user=newcomer)
    response = _edit(
        admin_client,
        future_class,
        django_capture_on_commit_callbacks,
        units=[villages[0].code, villages[2].code],
    )
    assert "thêm 1 người (đã gửi tin nhắn mời), bỏ 1 người." in (
        response.content.decode()
    )
    invited = set(
        Invitation.objects.filter(training_class=future_class).values_list(
            "user_id", flat=True
        )
    )
    assert newcomer.pk in invited and members[2].pk not in invited  # village 1's
    [text] = [m.text for m in sms.outbox if m.to == newcomer.phone]
    assert "mời bạn dự lớp" in text
    [text] = [m.text for m in sms.outbox if m.to == members[2].phone]
    assert "bạn không còn trong danh sách" in text
    assert not [m for m in sms.outbox if m.to == members[0].phone]


def test_cancelling_sends_the_reason_once_and_keeps_the_class_listed(
    admin_client, future_class, members, django_capture_on_commit_callbacks
):
    url = reverse("training_class_cancel", args=[future_class.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"reason": "Giảng viên bị ốm, lớp sẽ dời sang tháng sau"}, follow=True
        )
    page = response.content.decode()
    assert "Đã hủy lớp “Lớp kỹ năng số”; tin nhắn báo hủy gửi đến 3 người." in page
    assert "Lý do: Giảng viên bị ốm" in page
    assert len(sms.outbox) == 3
    assert all(
        "đã bị hủy" in m.text and "Giảng viên bị ốm" in m.text for m in sms.outbox
    )
    # Again: refused, nothing more sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"reason": "lần nữa"})
    assert response.status_code == 400
    assert "Lớp này đã được hủy trước đó." in response.content.decode()
    assert len(sms.outbox) == 3
    listing = admin_client.get(reverse("training_class_list")).content.decode()
    assert "Lớp kỹ năng số" in listing and "Đã hủy" in listing
    # No summons for a cancelled class.
    with django_capture_on_commit_callbacks(execute=True):
        assert training_summons_send(now=timezone.now() + timedelta(days=8)) == 0


def test_a_cancelled_class_refuses_every_check_in(
    client, future_class, members, org_tree
):
    training_class_cancel(
        training_class=future_class,
        cancelled_by=org_tree.admins["commune0.0"],
        reason="Mưa bão",
    )
    _started(future_class)
    client.force_login(members[0])
    token = checkin.qr_token(future_class.pk)
    response = client.get(reverse("training_checkin"), {"t": token})
    assert response.status_code == 403
    assert "Lớp “Lớp kỹ năng số” đã bị hủy, không điểm danh được." in (
        response.content.decode()
    )
    code = checkin.spoken_code(future_class.pk, at=timezone.now())
    response = client.post(reverse("training_checkin_code"), {"code": code})
    assert response.status_code == 400
    with pytest.raises(CheckinError):
        attendance_mark(training_class=future_class, user=members[1], method="manual")
    client.force_login(org_tree.admins["commune0.0"])
    response = client.post(
        reverse("training_class_mark", args=[future_class.pk]),
        {"user": members[1].pk, "action": "present"},
        follow=True,
    )
    assert "đã bị hủy" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_started_class_keeps_its_times_and_list(
    admin_client, future_class, members, org_tree, django_capture_on_commit_callbacks
):
    _started(future_class)
    attendance_mark(training_class=future_class, user=members[0], method="qr")
    before = TrainingClass.objects.get(pk=future_class.pk)
    later = timezone.localtime() + timedelta(days=3)
    response = _edit(
        admin_client,
        future_class,
        django_capture_on_commit_callbacks,
        title="Tên sửa sau lớp",
        starts_at=later.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(later + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        place="Nơi khác",
        units=[],
    )
    assert "Đã lưu thay đổi của lớp." in response.content.decode()
    after = TrainingClass.objects.get(pk=future_class.pk)
    assert after.title == "Tên sửa sau lớp"
    assert (after.starts_at, after.ends_at, after.place) == (
        before.starts_at,
        before.ends_at,
        before.place,
    )
    assert after.invited_units.count() == 2
    assert Invitation.objects.filter(training_class=future_class).count() == 4
    assert sms.outbox == []
    # The service refuses it too, whatever calls it.
    with pytest.raises(TrainingError, match="Lớp đã bắt đầu"):
        training_class_update(
            training_class=after,
            changed_by=org_tree.admins["commune0.0"],
            title=after.title,
            course=after.course,
            kind=after.kind,
            place="Nơi khác",
            starts_at=after.starts_at,
            ends_at=after.ends_at,
            trainer=after.trainer,
            capacity=after.capacity,
            invited_units=list(after.invited_units.all()),
        )
    # Nor can it be cancelled any more.
    response = admin_client.post(
        reverse("training_class_cancel", args=[future_class.pk]), {"reason": "x"}
    )
    assert response.status_code == 400
    assert "không hủy được nữa" in response.content.decode()


HOSTILE_REASONS = ["", "   ", "\x00", "lý do\x00", "a" * 10_000, "\u202e"]


@pytest.mark.parametrize("reason", HOSTILE_REASONS)
def test_hostile_cancel_reasons_get_a_message_and_cancel_nothing(
    admin_client, future_class, reason
):
    response = admin_client.post(
        reverse("training_class_cancel", args=[future_class.pk]), {"reason": reason}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    future_class.refresh_from_db()
    assert not future_class.is_cancelled and sms.outbox == []


def test_a_formula_reason_is_kept_as_text(
    admin_client, future_class, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("training_class_cancel", args=[future_class.pk]),
            {"reason": '=HYPERLINK("http://x")'},
        )
    future_class.refresh_from_db()
    assert future_class.cancel_reason == '=HYPERLINK("http://x")'
    page = admin_client.get(
        reverse("training_class_detail", args=[future_class.pk])
    ).content.decode()
    assert "=HYPERLINK(&quot;http://x&quot;)" in page


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "\x00"},
        {"title": "a" * 10_000},
        {"place": "Hội\x00trường"},
        {"trainer": "b" * 10_000},
        {"starts_at": "2020-01-01T10:00"},
        {"ends_at": "2020-01-01T10:00"},
        {"starts_at": "\x00"},
        {"capacity": "0"},
        {"units": ["\x00"]},
        {"what": "c" + "9" * 30},
    ],
)
def test_hostile_edits_get_a_message_and_change_nothing(
    admin_client, future_class, django_capture_on_commit_callbacks, changes
):
    before = TrainingClass.objects.values().get(pk=future_class.pk)
    response = _edit(
        admin_client, future_class, django_capture_on_commit_callbacks, **changes
    )
    assert response.status_code == 400, changes
    assert 'role="alert"' in response.content.decode()
    assert TrainingClass.objects.values().get(pk=future_class.pk) == before
    assert sms.outbox == []


def test_end_before_start_is_refused(
    admin_client, future_class, django_capture_on_commit_callbacks
):
    starts = timezone.localtime(future_class.starts_at)
    response = _edit(
        admin_client,
        future_class,
        django_capture_on_commit_callbacks,
        ends_at=(starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 400
    assert "Giờ kết thúc phải sau giờ bắt đầu." in response.content.decode()


def test_another_communes_or_provinces_class_is_404(client, org_tree, future_class):
    for admin in ("commune0.1", "province1"):
        client.force_login(org_tree.admins[admin])
        for name in ("training_class_edit", "training_class_cancel"):
            url = reverse(name, args=[future_class.pk])
            assert client.get(url).status_code == 404
            assert client.post(url, {"reason": "x", "title": "y"}).status_code == 404
    future_class.refresh_from_db()
    assert not future_class.is_cancelled and future_class.title == "Lớp kỹ năng số"
    client.force_login(org_tree.admins["province0"])
    url = reverse("training_class_edit", args=[future_class.pk])
    assert client.get(url).status_code == 200


def test_an_admin_reading_in_english_gets_english_pages_and_vietnamese_sms(
    admin_client, future_class, django_capture_on_commit_callbacks
):
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = admin_client.get(
        reverse("training_class_detail", args=[future_class.pk])
    ).content.decode()
    assert "Edit the class" in page and "Cancel the class" in page
    response = _edit(
        admin_client, future_class, django_capture_on_commit_callbacks, place="Chỗ mới"
    )
    assert "SMS about the change sent to 3 invitees." in response.content.decode()
    assert all("đổi lịch" in m.text for m in sms.outbox) and sms.outbox
