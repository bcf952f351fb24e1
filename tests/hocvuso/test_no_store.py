"""Pages with personal data are sent with `Cache-Control: no-store`, so a
shared phone's browser (its back button, its saved pages) and a school's
caching proxy keep no copy of a profile, a learner list or a password sheet.
Public pages stay cacheable."""

import pytest
from django.urls import reverse
from hocvuso.accounts.models import ImportJob, ImportStatus

from quizzes.services import attempt_start

from .reports.conftest import catalog_and_quiz  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {
        part.strip() for part in response.get("Cache-Control", "").split(",") if part
    }
    return "no-store" in directives


def test_learner_pages_are_not_stored(client, learner, catalog_and_quiz):  # noqa: F811
    attempt = attempt_start(user=learner, quiz=catalog_and_quiz.quiz)
    client.force_login(learner)
    for url in (
        reverse("profile"),
        reverse("account_change_password"),
        reverse("my_courses"),
        reverse("my_certificates"),
        reverse("quiz_attempt", args=[attempt.pk]),
        f"/api/attempts/{attempt.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_login_page_is_not_stored(client):
    assert no_store(client.get(reverse("account_login")))


def test_admin_pages_learner_list_and_its_files_are_not_stored(
    client,
    org_tree,
    catalog_and_quiz,  # noqa: F811
):
    admin = org_tree.admins["commune0.0"]
    client.force_login(admin)
    learners = reverse("report_learners", args=[org_tree.communes[0].code])
    for url in (
        reverse("unit_admin_home"),
        reverse("report_unit", args=[org_tree.communes[0].code]),
        learners,
        learners + "?format=csv",
        learners + "?format=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_import_preview_and_password_sheet_are_not_stored(client, org_tree):
    admin = org_tree.admins["commune0.0"]
    job = ImportJob.objects.create(
        created_by=admin,
        file_name="danh-sach.csv",
        status=ImportStatus.DONE,
        rows=[["họ và tên", "số điện thoại"], ["Vũ Thị Hoa", "0912000301"]],
        passwords=[["Vũ Thị Hoa", "0912 000 301", "abcdefghij"]],
    )
    client.force_login(admin)
    for url in (
        reverse("import_start"),
        reverse("import_detail", args=[job.pk]),
        reverse("import_password_sheet", args=[job.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_public_pages_stay_cacheable(client, catalog_and_quiz):  # noqa: F811
    for url in ("/", reverse("certificate_verify_form")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not no_store(response), url
