from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.orgunits.models import AdminRole, Unit

from quizzes.models import Attempt, ExtraTimeGrant
from quizzes.services import attempt_finish, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = Unit.add_root(
        code="51", name="Tỉnh Quảng Ngãi", level="province", kind="tỉnh"
    )
    a = province.add_child(
        code="21025", name="Phường Cẩm Thành", level="commune", kind="phường"
    )
    province.refresh_from_db()
    b = province.add_child(
        code="21548", name="Đặc khu Lý Sơn", level="commune", kind="đặc khu"
    )
    return province, a, b


def test_commune_admin_grants_extra_time_to_their_commune_only(
    client, make_quiz, make_learner, tree
):
    _province, commune_a, commune_b = tree
    quiz = make_quiz(attempts_allowed=0)
    learner_a = make_learner(unit=commune_a)
    attempt = attempt_start(user=learner_a, quiz=quiz)
    admin = make_learner(is_staff=True)
    AdminRole.objects.create(user=admin, role="commune_admin", unit=commune_a)
    from django.contrib.auth.models import Permission

    admin.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(admin)
    response = client.post(
        "/cms/cong-gio/",
        {"quiz": quiz.pk, "minutes": 10, "unit_code": "21025", "reason": "Mất điện"},
    )
    assert response.status_code == 302 and response["Location"] == "/cms/cong-gio/"
    assert (
        Attempt.objects.get(pk=attempt.pk).deadline - attempt.deadline
    ).seconds == 600

    refused = client.post(
        "/cms/cong-gio/", {"quiz": quiz.pk, "minutes": 10, "unit_code": "21548"}
    )
    assert refused.status_code == 403
    assert ExtraTimeGrant.objects.count() == 1
    both = client.post(
        "/cms/cong-gio/",
        {
            "quiz": quiz.pk,
            "minutes": 5,
            "unit_code": "21025",
            "phone_or_username": learner_a.username,
        },
    )
    assert "không chọn cả hai" in both.content.decode()


def _admin_of(unit, make_learner):
    from django.contrib.auth.models import Permission

    admin = make_learner(is_staff=True)
    AdminRole.objects.create(user=admin, role="commune_admin", unit=unit)
    admin.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return admin


def _minutes_given(attempt) -> float:
    return (attempt.deadline - attempt.started_at - attempt.quiz.time_limit) / (
        timedelta(minutes=1)
    )


def test_extra_time_for_a_unit_is_not_inherited_by_a_learner_who_moves_there(
    client, make_quiz, make_learner, tree
):
    _province, commune_a, commune_b = tree
    quiz = make_quiz(attempts_allowed=0)
    client.force_login(_admin_of(commune_a, make_learner))
    response = client.post(
        "/cms/cong-gio/",
        {"quiz": quiz.pk, "minutes": 600, "unit_code": "21025", "reason": "Mất điện"},
    )
    assert response.status_code == 302
    # Days later, a learner of another commune picks commune A in their profile.
    mover = make_learner(unit=commune_b)
    mover.unit = commune_a
    mover.save(update_fields=["unit"])
    later = timezone.now() + timedelta(days=3)
    attempt = attempt_start(user=mover, quiz=quiz, now=later)
    assert _minutes_given(attempt) == 0


def test_extra_time_applies_only_to_the_attempts_open_when_granted(
    client, make_quiz, make_learner, tree
):
    _province, commune_a, _b = tree
    quiz = make_quiz(attempts_allowed=0)
    learner = make_learner(unit=commune_a)
    first = attempt_start(user=learner, quiz=quiz)
    client.force_login(_admin_of(commune_a, make_learner))
    client.post(
        "/cms/cong-gio/",
        {"quiz": quiz.pk, "minutes": 10, "phone_or_username": learner.username},
    )
    first.refresh_from_db()
    assert _minutes_given(first) == 10
    attempt_submit(attempt=first, answers=[])
    second = attempt_start(user=learner, quiz=quiz)
    assert _minutes_given(second) == 0


def test_extra_time_window_for_a_learner_ends(client, make_quiz, make_learner, tree):
    _province, commune_a, _b = tree
    quiz = make_quiz(attempts_allowed=0)
    learner = make_learner(unit=commune_a)
    client.force_login(_admin_of(commune_a, make_learner))
    now = timezone.now()
    until = timezone.localtime(now + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        "/cms/cong-gio/",
        {
            "quiz": quiz.pk,
            "minutes": 10,
            "phone_or_username": learner.username,
            "applies_until": until,
        },
    )
    assert response.status_code == 302
    within = attempt_start(user=learner, quiz=quiz, now=now + timedelta(minutes=1))
    assert _minutes_given(within) == 10
    attempt_finish(attempt=within, now=now + timedelta(minutes=2), reason="submitted")
    after = attempt_start(user=learner, quiz=quiz, now=now + timedelta(hours=2))
    assert _minutes_given(after) == 0

    for_a_unit = client.post(
        "/cms/cong-gio/",
        {
            "quiz": quiz.pk,
            "minutes": 10,
            "unit_code": "21025",
            "applies_until": until,
        },
    )
    assert for_a_unit.status_code == 200
    assert "chỉ dùng khi cộng giờ cho một học viên" in for_a_unit.content.decode()
    assert ExtraTimeGrant.objects.count() == 1
