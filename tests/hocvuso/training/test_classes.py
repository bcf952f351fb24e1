"""Classes: the invitation list from the org tree, the notice SMS on
creation and the summons three days before, each sent once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts import sms
from hocvuso.training.models import Invitation, TrainingClass
from hocvuso.training.services import TrainingError, training_summons_send

pytestmark = pytest.mark.django_db


def _texts(phone):
    return [m.text for m in sms.outbox if m.to == phone]


def test_invited_villages_team_members_get_one_notice_each(
    make_class, members, make_learner, org_tree, django_capture_on_commit_callbacks
):
    outsider = make_learner(unit=org_tree.villages[2])  # village not invited
    chosen = make_learner(unit=org_tree.villages[2])
    with django_capture_on_commit_callbacks(execute=True):
        training_class = make_class(chosen_user_ids=[chosen.pk])
    invited = set(
        Invitation.objects.filter(training_class=training_class).values_list(
            "user_id", flat=True
        )
    )
    leader = org_tree.admins["team_leader"]  # leads the first village's team
    assert invited == {m.pk for m in members} | {chosen.pk, leader.pk}
    for person in [*members, chosen]:
        [text] = _texts(person.phone)
        assert "Lớp kỹ năng số" in text and "Hội trường xã" in text
    assert _texts(outsider.phone) == []


def test_summons_three_days_before_is_sent_once(
    make_class, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        training_class = make_class()
    sms.outbox.clear()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert training_summons_send(now=now + timedelta(days=6)) == 0
    assert sms.outbox == []
    later = now + timedelta(days=7, hours=1)  # 3 days before the class
    with django_capture_on_commit_callbacks(execute=True):
        assert training_summons_send(now=later) == len(members)
        assert training_summons_send(now=later + timedelta(hours=1)) == 0
    assert len(sms.outbox) == len(members)
    assert all("nhắc bạn dự lớp" in m.text for m in sms.outbox)
    training_class.refresh_from_db()
    assert training_class.summons_sent_at is not None


def test_the_summons_runs_from_celery_beat(
    settings, make_class, members, django_capture_on_commit_callbacks
):
    from hocvuso.training.tasks import training_summons_send_task

    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "hocvuso.training.tasks.training_summons_send_task"
    ]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_class(
            starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=1)
        )
    assert training_summons_send_task.delay().get() == 0  # the notice summoned


def test_a_class_two_days_away_is_summoned_by_its_notice_alone(
    make_class, members, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_class(
            starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=2)
        )
        assert training_summons_send() == 0
    assert len(sms.outbox) == len(members)


def test_service_refuses_units_outside_the_organiser(make_class, org_tree):
    with pytest.raises(TrainingError):
        make_class(invited_units=[org_tree.villages[3]])  # commune 0.1's
    with pytest.raises(TrainingError):
        make_class(invited_units=[])
    assert not TrainingClass.objects.exists()


def test_admin_creates_a_class_and_is_warned_when_less_than_a_week_ahead(
    client,
    org_tree,
    commune,
    villages,
    courses,
    members,
    django_capture_on_commit_callbacks,
):
    client.force_login(org_tree.admins["commune0.0"])
    starts = timezone.localtime() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training_class_add", args=[commune.code]),
            {
                "title": "Tập huấn định danh điện tử",
                "what": f"c{courses[0].pk}",
                "kind": "both",
                "place": "Nhà văn hóa thôn",
                "conference_link": "https://hop.example.vn/phong-1",
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                "trainer": "Trần Thị Giảng",
                "capacity": "2",
                "units": [villages[0].code, villages[1].code],
            },
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã tạo lớp “Tập huấn định danh điện tử”, mời 4 người" in page
    assert "thông báo trước ít nhất một tuần" in page
    assert "Số người được mời (4) nhiều hơn số chỗ (2)." in page
    assert len(sms.outbox) == 3  # the team leader has no phone number


def test_a_week_ahead_has_no_warning(client, org_tree, commune, villages, courses):
    client.force_login(org_tree.admins["commune0.0"])
    starts = timezone.localtime() + timedelta(days=8)
    response = client.post(
        reverse("training_class_add", args=[commune.code]),
        {
            "title": "Lớp trực tuyến",
            "what": f"c{courses[0].pk}",
            "kind": "video",
            "conference_link": "https://hop.example.vn/phong-2",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "trainer": "Trần Thị Giảng",
            "capacity": "50",
            "units": [villages[0].code],
        },
        follow=True,
    )
    assert "Đã tạo lớp “Lớp trực tuyến”" in response.content.decode()
    assert "ít nhất một tuần" not in response.content.decode()


def test_other_communes_cannot_see_the_class(client, org_tree, make_class):
    training_class = make_class()
    client.force_login(org_tree.admins["commune0.1"])
    for name in ("training_class_detail", "training_class_qr", "training_class_report"):
        assert client.get(reverse(name, args=[training_class.pk])).status_code == 404
    client.force_login(org_tree.admins["learner"])
    response = client.get(reverse("training_class_detail", args=[training_class.pk]))
    assert response.status_code == 403
    client.force_login(org_tree.admins["province0"])
    response = client.get(reverse("training_class_detail", args=[training_class.pk]))
    assert response.status_code == 200
