"""The public picture (/xac-minh/<code>/anh.png, shared on Zalo and
Facebook) follows the verification page: no score ever, a revoked or
replaced certificate is visibly marked so, and the reason for a revocation
is public only as a category; the administrator's free text stays internal.

The picture is read back: decoded pixels compared with the valid rendering,
and the strings it draws taken from the same code path (render.png_lines)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageChops

from certificates import render
from certificates.models import Certificate, CertificateStatus, RevocationCategory
from certificates.services import (
    branding_get,
    certificate_content,
    certificate_reissue,
    certificate_revoke,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_learner, complete_course):
    complete_course(make_learner(full_name="Đặng Văn Lộc"))
    certificate = Certificate.objects.get()
    assert certificate.score_percent is not None  # it has a score to hide
    return certificate


def picture(client, certificate) -> Image.Image:
    response = client.get(reverse("certificate_png", args=[certificate.code]))
    assert response.status_code == 200
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("RGB")


def drawn_texts(certificate) -> list[str]:
    certificate.refresh_from_db()
    content = certificate_content(certificate, branding_get())
    return [line.text for line in render.png_lines(content)]


def red_pixels(image: Image.Image) -> int:
    return sum(
        1 for r, g, b in image.get_flattened_data() if r > 150 and g < 80 and b < 90
    )


def test_the_picture_never_shows_the_score(client, certificate):
    score = f"{certificate.score_percent:.0f}%"
    texts = drawn_texts(certificate)
    assert "Đặng Văn Lộc" in texts
    assert not any("Điểm" in text or score in text for text in texts)
    # The served picture is that drawing.
    served = picture(client, certificate)
    expected = Image.open(
        io.BytesIO(render.png_render(certificate_content(certificate, branding_get())))
    ).convert("RGB")
    assert ImageChops.difference(served, expected).getbbox() is None


def test_a_revoked_certificate_is_marked_revoked_on_its_picture(
    client, certificate, django_capture_on_commit_callbacks
):
    valid = picture(client, certificate)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate=certificate,
            category=RevocationCategory.ISSUED_IN_ERROR,
            reason="Nhầm với ông Đặng Văn Lộc ở thôn bên",
        )
    revoked = picture(client, certificate)
    assert ImageChops.difference(valid, revoked).getbbox() is not None
    # A red band across the middle, where the valid one has none.
    band = (0, 240, 840, 390)
    assert red_pixels(revoked.crop(band)) > 10 * red_pixels(valid.crop(band)) + 20000
    certificate.refresh_from_db()
    content = certificate_content(certificate, branding_get())
    assert content.status_mark == "ĐÃ THU HỒI — KHÔNG CÒN GIÁ TRỊ"
    assert "thôn bên" not in " ".join(drawn_texts(certificate))


def test_a_picture_drawn_before_the_revocation_is_not_served(client, certificate):
    valid = picture(client, certificate)
    # Revoked without a new drawing (before this rule, or its task is late).
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.REVOKED,
        revocation_category=RevocationCategory.OTHER,
        status_changed_at=timezone.now(),
    )
    assert ImageChops.difference(valid, picture(client, certificate)).getbbox()


def test_a_replaced_certificate_is_marked_replaced(
    client, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=certificate, holder_name="Đặng Văn Lộ", reason="Sửa họ tên"
        )
    certificate.refresh_from_db()
    content = certificate_content(certificate, branding_get())
    assert content.status_mark == "ĐÃ ĐƯỢC THAY THẾ"
    assert certificate_content(new, branding_get()).status_mark == ""


def test_the_verification_page_shows_only_the_category(client, certificate):
    certificate_revoke(
        certificate=certificate,
        category=RevocationCategory.RESULT_INVALID,
        reason="Nhờ người khác làm bài hộ, theo báo cáo của trưởng thôn",
    )
    body = client.get(
        reverse("certificate_verify", args=[certificate.code])
    ).content.decode()
    assert 'data-status="revoked"' in body
    assert "Lý do: Kết quả bài kiểm tra không hợp lệ" in body
    assert "trưởng thôn" not in body
