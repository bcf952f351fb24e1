import re
from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.accounts.models import Consent, PrivacyNotice
from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.services import village_create

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_consent_box_is_unticked_and_required(client, make_learner, privacy_notice):
    user = make_learner(consented=False)
    client.force_login(user)
    page = text(client.get("/tai-khoan/dong-y/?next=/hoc/cua-toi/"))
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in page
    assert re.search(
        r'<input type="checkbox" name="agree" id="id_agree" value="on">', page
    )
    response = client.post("/tai-khoan/dong-y/", {"next": "/hoc/cua-toi/"})
    assert "Bạn cần đánh dấu ô đồng ý để bắt đầu học." in text(response)
    assert not Consent.objects.exists()

    response = client.post(
        "/tai-khoan/dong-y/", {"agree": "on", "next": "/hoc/cua-toi/"}
    )
    assert response["Location"] == "/hoc/cua-toi/"
    consent = Consent.objects.get()
    assert (consent.user, consent.notice.version) == (user, "1.0")
    assert abs(consent.accepted_at - timezone.now()) < timedelta(minutes=1)


def test_new_notice_version_asks_again(client, learner):
    client.force_login(learner)
    assert client.get("/hoc/cua-toi/").status_code == 200
    PrivacyNotice.objects.create(
        version="2.0",
        title="Thông báo mới",
        body="<p>Mới</p>",
        published_at=timezone.now(),
    )
    response = client.get("/hoc/cua-toi/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dong-y/")


def test_consent_redirect_never_leaves_the_site(client, make_learner):
    client.force_login(make_learner(consented=False))
    response = client.post(
        "/tai-khoan/dong-y/", {"agree": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.fixture
def tree(tmp_path):
    from hocvuso.orgunits.services import units_import_csv

    csv_path = tmp_path / "units.csv"
    csv_path.write_text(
        "ma_tinh,ten_tinh,loai_tinh,ma_xa,ten_xa,loai_xa\n"
        "51,Tỉnh Quảng Ngãi,tỉnh,21025,Phường Cẩm Thành,phường\n"
        "51,Tỉnh Quảng Ngãi,tỉnh,21548,Đặc khu Lý Sơn,đặc khu\n"
        "01,Thành phố Hà Nội,thành phố trung ương,00004,Phường Ba Đình,phường\n",
        encoding="utf-8",
    )
    units_import_csv(path=csv_path)
    return village_create(
        commune=Unit.objects.get(code="21548"), name="Thôn Đông", kind="thôn"
    )


def test_profile_place_is_chosen_down_the_tree(client, learner, tree):
    client.force_login(learner)
    # Without JavaScript: pick the province, refresh the lists, then the rest.
    response = client.post(
        "/tai-khoan/ho-so/",
        {
            "full_name": "Phạm Thị Lan",
            "birth_year": "1975",
            "province": "51",
            "refresh": "1",
        },
    )
    page = text(response)
    assert "Đặc khu Lý Sơn" in page and "Phường Ba Đình" not in page
    response = client.post(
        "/tai-khoan/ho-so/",
        {
            "full_name": "Phạm Thị Lan",
            "birth_year": "1975",
            "province": "51",
            "commune": "21548",
            "village": tree.code,
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.birth_year, learner.unit) == (
        "Phạm Thị Lan",
        1975,
        tree,
    )
    page = text(client.get("/tai-khoan/ho-so/"))
    assert 'value="21548" selected' in page and f'value="{tree.code}" selected' in page


def test_htmx_refreshes_the_commune_list(client, learner, tree):
    client.force_login(learner)
    page = text(client.get("/tai-khoan/ho-so/dia-ban/?province=01"))
    assert "Phường Ba Đình" in page and "Đặc khu Lý Sơn" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "An", "birth_year": "1850"}, "Năm sinh phải trong khoảng 1900"),
        ({"full_name": "An", "province": "51", "commune": "00004"}, "Hãy chọn"),
        ({"full_name": ""}, "Trường này là bắt buộc"),
    ],
)
def test_profile_bad_input_changes_nothing(client, learner, tree, data, message):
    client.force_login(learner)
    before = (learner.full_name, learner.birth_year, learner.unit_id)
    response = client.post("/tai-khoan/ho-so/", data)
    assert response.status_code == 200
    assert message in text(response)
    learner.refresh_from_db()
    assert (learner.full_name, learner.birth_year, learner.unit_id) == before
