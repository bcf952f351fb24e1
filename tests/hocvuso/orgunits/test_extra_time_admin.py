import pytest
from hocvuso.orgunits.models import AdminRole, Unit

from quizzes.models import Attempt, ExtraTimeGrant
from quizzes.services import attempt_start

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
