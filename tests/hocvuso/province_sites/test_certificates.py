"""Issue 22: a learner's certificate carries their province site's issuer,
serial prefix and signer; a learner of no province site, the default's."""

import subprocess

import pytest
from django.utils import timezone
from hocvuso.accounts.models import User
from wagtail.models import Site

from certificates.models import CertificateSettings
from certificates.services import certificate_issue
from courses.models import CourseCompletion, CoursePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def brands(two_sites, build_catalog):
    build_catalog(courses=1, lessons=1)
    a = CertificateSettings.for_site(Site.objects.get(is_default_site=True))
    b = CertificateSettings.for_site(two_sites.b.site)
    b.issuer_name = "Sở Khoa học và Công nghệ Tỉnh Thử 1"
    b.signer_name = "Trần Thị Bích"
    b.serial_prefix = "TT1"
    b.save()
    return a, b


def _certificate(unit, n: int):
    learner = User.objects.create_user(
        username=f"hoc_vien_{n}", full_name="Phạm Thị Hoa", unit=unit
    )
    completion = CourseCompletion.objects.create(
        user=learner,
        course=CoursePage.objects.get(),
        completed_at=timezone.now(),
        score_percent=90,
    )
    return certificate_issue(course_completion_id=completion.pk)


def _pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as f:
        data = f.read()
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_a_learner_of_province_b_gets_bs_issuer(brands, org_tree):
    certificate = _certificate(org_tree.villages[9], 1)

    assert certificate.issuer_name == "Sở Khoa học và Công nghệ Tỉnh Thử 1"
    assert certificate.serial.startswith("TT1-")
    text = _pdf_text(certificate)
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH THỬ 1" in text  # drawn in capitals
    assert "Trần Thị Bích" in text


def test_a_learner_of_province_a_or_of_no_unit_gets_the_default_sites(brands, org_tree):
    a, _b = brands
    for n, unit in enumerate([org_tree.communes[0], None], start=1):
        certificate = _certificate(unit, n)
        assert certificate.issuer_name == a.issuer_name
        assert certificate.serial.startswith(f"{a.serial_prefix}-")
