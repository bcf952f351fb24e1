"""Issuing: one certificate per learner and course, whatever happens; the PDF
carries every Vietnamese diacritic and the PNG's QR code the verification URL."""

import subprocess

import pytest
from django.db import IntegrityError, transaction

from certificates.models import Certificate, CertificateStatus
from certificates.services import certificate_issue, verify_url
from certificates.tasks import certificate_issue_task
from courses.models import CourseCompletion

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Thị Hồng Nhung", "Đặng Văn Lộc", "Trương Ngọc Ánh Dương", "Lê Quý Đôn"]


def test_passing_the_final_test_issues_one_certificate(
    make_learner, complete_course, settings
):
    learner = make_learner(full_name="Nguyễn Thị Hồng Nhung")
    course = complete_course(learner)
    certificate = Certificate.objects.get()
    assert (certificate.user, certificate.course) == (learner, course)
    assert certificate.status == CertificateStatus.VALID
    assert certificate.serial.startswith("QNG-")
    assert certificate.pdf.name.endswith(".pdf") and certificate.png.name.endswith(
        ".png"
    )
    assert len(certificate.code) >= 16  # 16 bytes = 128 random bits


def test_the_task_twice_still_one_certificate(learner, complete_course):
    complete_course(learner)
    completion = CourseCompletion.objects.get()
    first = Certificate.objects.get()
    certificate_issue_task.apply(kwargs={"course_completion_id": completion.pk})
    certificate_issue(course_completion_id=completion.pk)
    assert list(Certificate.objects.all()) == [first]


def test_a_run_that_died_before_rendering_is_finished_by_the_next(
    learner, complete_course
):
    complete_course(learner)
    Certificate.objects.update(pdf="", png="")  # as if killed before the files
    certificate_issue(course_completion_id=CourseCompletion.objects.get().pk)
    certificate = Certificate.objects.get()
    assert certificate.pdf and certificate.pdf.read().startswith(b"%PDF")


def test_the_database_refuses_a_second_certificate(learner, complete_course):
    complete_course(learner)
    first = Certificate.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            user=learner,
            course=first.course,
            holder_name="x",
            title="x",
            completed_at=first.completed_at,
            issuer_name="x",
            signer_name="x",
            signer_title="x",
        )


@pytest.mark.parametrize("name", NAMES)
def test_pdf_text_has_every_diacritic(make_learner, complete_course, tmp_path, name):
    learner = make_learner(full_name=name)
    course = complete_course(learner)
    certificate = Certificate.objects.get()
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert name in text
    assert course.title in text
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi".upper() in text
    assert certificate.serial in text
    assert "Điểm: 100%" in text
    assert "không phải dữ liệu VNeID" in text


def test_png_qr_decodes_to_the_verification_url(learner, complete_course, tmp_path):
    complete_course(learner)
    certificate = Certificate.objects.get()
    png = tmp_path / "c.png"
    png.write_bytes(certificate.png.read())
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == verify_url(certificate)
    assert decoded.endswith(f"/xac-minh/{certificate.code}/")
