"""Public verification: only a stored code is valid; revoked and replaced
show so; no personal data beyond name, course, date and issuer; 429 when
hammered. Downloads: the holder or an administrator of their unit only."""

import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus, RevocationCategory
from certificates.services import certificate_reissue, certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_learner, complete_course):
    learner = make_learner(full_name="Đặng Văn Lộc", phone="+84905123456")
    complete_course(learner)
    return Certificate.objects.get()


def _page(client, code):
    return client.get(reverse("certificate_verify", args=[code]))


def test_a_valid_code_shows_valid_with_name_course_date_issuer(client, certificate):
    response = _page(client, certificate.code)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in body and "Chứng nhận hợp lệ" in body
    assert "Đặng Văn Lộc" in body
    assert certificate.title in body
    assert timezone.localtime(certificate.completed_at).strftime("%d/%m/%Y") in body
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in body
    user = certificate.user
    for private in ("0905123456", "905123456", user.phone, user.username):
        assert private not in body


def test_tampered_and_random_codes_are_unknown(client, certificate):
    code = certificate.code
    flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
    for bad in [
        flipped,
        code.upper() if code.upper() != code else code.lower(),
        code[:-1],
        code + "x",
        secrets.token_urlsafe(16),
        certificate.serial,
        "'; DROP TABLE--",
    ]:
        response = _page(client, bad)
        assert response.status_code == 404, bad
        body = response.content.decode()
        assert "Chứng nhận hợp lệ" not in body
        assert 'data-status="unknown"' in body


def test_revoked_shows_revoked_with_its_category_never_valid(client, certificate):
    certificate_revoke(
        certificate=certificate,
        category=RevocationCategory.RESULT_INVALID,
        reason="Gian lận khi làm bài",
    )
    body = _page(client, certificate.code).content.decode()
    assert 'data-status="revoked"' in body
    assert "Lý do: Kết quả bài kiểm tra không hợp lệ" in body
    assert "Gian lận khi làm bài" not in body  # the free text stays internal
    assert "Chứng nhận hợp lệ" not in body


def test_reissue_after_name_correction_keeps_the_old_code_verifying(
    client, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=certificate, holder_name="Đặng Văn Lộc Anh", reason="Sửa họ tên"
        )
    old_body = _page(client, certificate.code).content.decode()
    assert 'data-status="replaced"' in old_body
    assert new.serial in old_body
    assert "Chứng nhận hợp lệ" not in old_body
    new_body = _page(client, new.code).content.decode()
    assert "Chứng nhận hợp lệ" in new_body and "Đặng Văn Lộc Anh" in new_body
    new.refresh_from_db()
    assert new.pdf  # rendered by the task after commit
    assert Certificate.objects.exclude(status=CertificateStatus.REPLACED).count() == 1


def test_the_form_takes_a_code_or_the_whole_link(client, certificate):
    response = client.get(
        reverse("certificate_verify_form"),
        {"code": f"http://127.0.0.1:8000/xac-minh/{certificate.code}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certificate_verify", args=[certificate.code]
    )
    assert client.get(reverse("certificate_verify_form")).status_code == 200


def test_hammering_gets_429(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_PER_MINUTE = 5
    statuses = [_page(client, secrets.token_urlsafe(16)).status_code for _ in range(8)]
    assert statuses[:5] == [404] * 5
    assert statuses[5:] == [429] * 3
    # Even the right code is refused while the limit holds: guessing is not
    # helped by mixing in a known code.
    assert _page(client, certificate.code).status_code == 429
    assert "Bạn thao tác quá nhanh" in _page(client, certificate.code).content.decode()


def test_my_certificates_lists_mine_with_download_and_share_link(client, certificate):
    client.force_login(certificate.user)
    body = client.get(reverse("my_certificates")).content.decode()
    assert certificate.title in body
    assert reverse("certificate_pdf", args=[certificate.code]) in body
    assert f"/xac-minh/{certificate.code}/" in body
    response = client.get(reverse("certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_learner_gets_404_on_the_pdf(client, certificate, make_learner):
    client.force_login(make_learner())
    assert (
        client.get(reverse("certificate_pdf", args=[certificate.code])).status_code
        == 404
    )
    client.logout()
    assert (
        client.get(reverse("certificate_pdf", args=[certificate.code])).status_code
        == 404
    )


def test_png_preview_is_public_by_code(client, certificate):
    response = client.get(reverse("certificate_png", args=[certificate.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_behind_the_proxy_each_learner_has_their_own_limit(client, settings):
    """nginx appends the client's address to X-Forwarded-For; with one trusted
    hop, one learner hammering does not lock out the next one."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.CERTIFICATES_VERIFY_PER_MINUTE = 3
    code = secrets.token_urlsafe(16)
    url = f"/xac-minh/{code}/"
    first = [
        client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        for _ in range(4)
    ]
    assert first == [404, 404, 404, 429]
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 404
    # A forged first hop does not buy a fresh counter: only the last hop counts.
    forged = client.get(url, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert forged.status_code == 429
