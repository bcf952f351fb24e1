"""Certificate screens in the CMS: every administrator acts only on the
certificates of learners in their subtree; the superuser regenerates all."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts.models import User

from certificates.models import Certificate, CertificateStatus, RegenerationJob
from certificates.services import certificate_issue
from courses.models import CourseCompletion, CoursePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def certs(org_tree, build_catalog):
    """One certificate per commune: the learner lives in its first village."""
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    by_commune = {}
    for i, commune in enumerate(org_tree.communes):
        village = next(v for v in org_tree.villages if v.path.startswith(commune.path))
        user = User.objects.create_user(
            username=f"hv_cert_{i}",
            password="x",
            full_name=f"Học viên {i}",
            unit=village,
        )
        completion = CourseCompletion.objects.create(
            user=user, course=course, completed_at=timezone.now(), score_percent=80
        )
        by_commune[commune.code] = certificate_issue(course_completion_id=completion.pk)
    return by_commune


@pytest.mark.parametrize(
    "label", ["province0", "commune0.1", "commune1.2", "superuser", "learner"]
)
def test_each_admin_sees_and_opens_only_their_subtree(client, org_tree, certs, label):
    client.force_login(org_tree.admins[label])
    listing = client.get(reverse("certificates_admin"))
    for commune in org_tree.communes:
        certificate = certs[commune.code]
        allowed = org_tree.allowed(label, commune)
        if listing.status_code == 200:
            assert (certificate.serial in listing.content.decode()) is allowed
        detail = client.get(reverse("certificates_admin_detail", args=[certificate.pk]))
        pdf = client.get(reverse("certificate_pdf", args=[certificate.code]))
        if allowed:
            assert detail.status_code == 200 and pdf.status_code == 200
        else:
            assert detail.status_code in (302, 403, 404)
            assert pdf.status_code == 404


def test_commune_admin_revokes_with_a_reason(client, org_tree, certs):
    commune = org_tree.communes[0]
    certificate = certs[commune.code]
    client.force_login(org_tree.admins["commune0.0"])
    url = reverse("certificates_admin_detail", args=[certificate.pk])
    form = client.get(url).content.decode()
    assert "Loại lý do (hiện công khai trên trang xác minh)" in form
    assert "Ghi chú nội bộ (không công khai)" in form
    for refused in (
        {"category": "issued_in_error", "reason": "  "},
        {"reason": "Cấp nhầm người"},  # no category
        {"category": "gian-lan'; --", "reason": "Cấp nhầm người"},
    ):
        response = client.post(url, {"action": "revoke", **refused})
        assert response.status_code == 200, refused
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.VALID, refused
    client.post(
        url,
        {"action": "revoke", "category": "issued_in_error", "reason": "Cấp nhầm người"},
    )
    certificate.refresh_from_db()
    assert (
        certificate.status,
        certificate.revocation_category,
        certificate.status_reason,
    ) == (CertificateStatus.REVOKED, "issued_in_error", "Cấp nhầm người")
    other = certs[org_tree.communes[1].code]
    client.post(
        reverse("certificates_admin_detail", args=[other.pk]),
        {"action": "revoke", "category": "other", "reason": "x"},
    )
    other.refresh_from_db()
    assert other.status == CertificateStatus.VALID


def test_reissue_from_the_admin_screen(
    client, org_tree, certs, django_capture_on_commit_callbacks
):
    certificate = certs[org_tree.communes[0].code]
    client.force_login(org_tree.admins["province0"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin_detail", args=[certificate.pk]),
            {
                "action": "reissue",
                "holder_name": "Nguyễn Thị Hồng Nhung",
                "reason": "Sửa họ tên",
            },
        )
    certificate.refresh_from_db()
    new = certificate.replaced_by
    assert response.status_code == 302
    assert certificate.status == CertificateStatus.REPLACED
    assert new.holder_name == "Nguyễn Thị Hồng Nhung" and new.pdf
    assert new.serial != certificate.serial and new.code != certificate.code


def test_regenerate_all_runs_as_a_job_with_progress(
    client, org_tree, certs, django_capture_on_commit_callbacks
):
    before = {c.pk: c.rendered_at for c in Certificate.objects.all()}
    client.force_login(org_tree.admins["province0"])
    refused = client.post(reverse("certificates_admin_regenerate_start"))
    assert refused.status_code in (302, 403) and not RegenerationJob.objects.exists()
    client.force_login(org_tree.admins["superuser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_admin_regenerate_start"))
    job = RegenerationJob.objects.get()
    assert response["Location"] == reverse(
        "certificates_admin_regenerate", args=[job.pk]
    )
    assert (job.done, job.total) == (6, 6) and job.finished_at
    assert all(c.rendered_at > before[c.pk] for c in Certificate.objects.all())
    page = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "6/6" in page.content.decode()
