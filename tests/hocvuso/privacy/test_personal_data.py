"""Issue 19, build items 1–3: a learner sees, downloads, corrects their data,
withdraws consent and asks for deletion; the commune admin carries the
deletion out within the law's deadline; every view of full phones, import
and deletion is in the access log a province admin reads."""

import io
import json
from datetime import datetime, time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from hocvuso.accounts import sms
from hocvuso.accounts.models import ImportJob, User
from hocvuso.accounts.selectors import consent_is_current
from hocvuso.orgunits.selectors import admin_scope_get
from hocvuso.privacy.models import (
    AccessKind,
    AccessLogEntry,
    DataRequest,
    RequestKind,
    RequestStatus,
)
from hocvuso.privacy.services import (
    data_request_reminders_send,
    erasure_carry_out,
    erasure_request,
)
from hocvuso.reports import maintained
from hocvuso.reports.filters import Filters
from hocvuso.reports.models import ExportJob
from hocvuso.reports.periods import dates_period, quarter_last_ended, quarter_parse
from hocvuso.reports.selectors import (
    completion_report_rows,
    learner_list,
    subject_get,
)
from hocvuso.reports.services import report_snapshot_create
from openpyxl import load_workbook

from certificates.models import Certificate
from certificates.services import certificate_issue
from courses.models import CourseCompletion, CoursePage
from courses.services import enrolment_create

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "",
    "   ",
    '=HYPERLINK("http://x")',
    "+84912345678",
    "Mai\x00Anh",
    "Mai\u202eAnh",
    "<script>alert(1)</script>",
    "A" * 151,
    "Robert'); DROP TABLE accounts_user;--",
]


@pytest.fixture
def world(org_tree, build_catalog, make_learner):
    """A learner of the first village who completed a course and holds its
    certificate, and a neighbour in the same village."""
    build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    village = org_tree.villages[0]
    learner = make_learner(
        full_name="Nguyễn Thị Mai", unit=village, birth_year=1970, phone="+84912000111"
    )
    neighbour = make_learner(full_name="Trần Văn Bình", unit=village)
    for user in (learner, neighbour):
        enrolment_create(user=user, course=course)
    completion = CourseCompletion.objects.create(
        user=learner, course=course, completed_at=timezone.now(), score_percent=90
    )
    certificate = certificate_issue(course_completion_id=completion.pk)
    return {
        "tree": org_tree,
        "course": course,
        "learner": learner,
        "neighbour": neighbour,
        "certificate": certificate,
        "subject": subject_get(kind="course", pk=course.pk),
    }


def _commune_admin(world):
    return world["tree"].admins["commune0.0"]


# ------------------------------------------------------- 1. Dữ liệu của tôi


def test_the_account_page_leads_to_my_data(client, world):
    client.force_login(world["learner"])
    assert reverse("privacy_my_data") in client.get(reverse("profile")).text


def test_a_learner_sees_everything_held_about_them(client, world):
    client.force_login(world["learner"])
    page = client.get(reverse("privacy_my_data"))
    assert page.status_code == 200
    for held in (
        "Nguyễn Thị Mai",
        "0912 000 111",
        "1970",
        "Thôn 0.0.0",
        world["course"].title,
        world["certificate"].serial,
        "Đồng ý xử lý dữ liệu",
    ):
        assert held in page.text
    assert "Trần Văn Bình" not in page.text
    assert "no-store" in page["Cache-Control"]


def test_a_learner_downloads_their_data_as_json_and_xlsx(client, world):
    client.force_login(world["learner"])
    response = client.get(reverse("privacy_my_data_download", args=["json"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    profile = {row["Mục"]: row["Giá trị"] for row in data["Thông tin cá nhân"]}
    assert profile["Họ và tên"] == "Nguyễn Thị Mai"
    assert profile["Năm sinh"] == 1970
    assert data["Chứng nhận"][0]["Số hiệu"] == world["certificate"].serial

    response = client.get(reverse("privacy_my_data_download", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {c for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert {"Nguyễn Thị Mai", "0912 000 111", world["course"].title} <= cells
    # Each download is on the learner's record of requests, answered at once.
    assert (
        DataRequest.objects.filter(
            user=world["learner"], kind=RequestKind.ACCESS, status=RequestStatus.DONE
        ).count()
        == 2
    )


def test_an_unknown_download_format_is_404(client, world):
    client.force_login(world["learner"])
    response = client.get(reverse("privacy_my_data_download", args=["pdf"]))
    assert response.status_code == 404


def test_my_data_needs_a_login(client, world):
    response = client.get(reverse("privacy_my_data"))
    assert response.status_code == 302
    assert "/tai-khoan/login/" in response.url


def _place(tree):
    village = tree.villages[4]  # commune 0.1
    return {
        "province": tree.provinces[0].code,
        "commune": tree.communes[1].code,
        "village": village.code,
    }


def test_a_learner_corrects_name_birth_year_and_place(client, world):
    client.force_login(world["learner"])
    tree = world["tree"]
    response = client.post(
        reverse("privacy_my_data_correct"),
        {"full_name": "  Nguyễn   Thị Mai Anh ", "birth_year": "1971", **_place(tree)},
    )
    assert response.status_code == 302
    user = User.objects.get(pk=world["learner"].pk)
    assert (user.full_name, user.birth_year) == ("Nguyễn Thị Mai Anh", 1971)
    assert user.unit == tree.villages[4]
    assert DataRequest.objects.filter(
        user=user, kind=RequestKind.CORRECT, status=RequestStatus.DONE
    ).exists()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_is_refused_and_changes_nothing(client, world, name):
    client.force_login(world["learner"])
    response = client.post(
        reverse("privacy_my_data_correct"),
        {"full_name": name, "birth_year": "1970", **_place(world["tree"])},
    )
    assert response.status_code == 200
    assert "errorlist" in response.text or 'class="error' in response.text
    assert User.objects.get(pk=world["learner"].pk).full_name == "Nguyễn Thị Mai"


@pytest.mark.parametrize(
    "year", ["abc", "1899", "3000", "99999999999999999999999", "-1", "1e3", "١٨٠٠"]
)
def test_a_hostile_birth_year_is_refused(client, world, year):
    client.force_login(world["learner"])
    response = client.post(
        reverse("privacy_my_data_correct"),
        {"full_name": "Nguyễn Thị Mai", "birth_year": year, **_place(world["tree"])},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=world["learner"].pk).birth_year == 1970


def test_an_unknown_place_code_does_not_move_the_learner(client, world):
    client.force_login(world["learner"])
    client.post(
        reverse("privacy_my_data_correct"),
        {
            "full_name": "Nguyễn Thị Mai",
            "birth_year": "1970",
            "province": "'; DROP TABLE x;--",
            "commune": "\x00",
            "village": "9" * 5000,
        },
    )
    assert User.objects.get(pk=world["learner"].pk).unit == world["tree"].villages[0]


def test_withdrawing_consent_closes_learning_until_consent_again(client, world):
    client.force_login(world["learner"])
    page = client.get(reverse("privacy_consent_withdraw"))
    assert "không học bài và không làm bài kiểm tra được nữa" in page.text
    # The gate has remembered the consent in this session: it must forget it.
    assert client.get(reverse("my_certificates")).status_code == 200
    response = client.post(reverse("privacy_consent_withdraw"))
    assert response.status_code == 302
    gated = client.get(reverse("my_certificates"))
    assert gated.status_code == 302 and gated.url.startswith(reverse("consent"))
    assert not consent_is_current(user=world["learner"])
    # Their data stays reachable without consent.
    assert client.get(reverse("privacy_my_data")).status_code == 200


def test_asking_for_deletion_twice_opens_one_request_due_in_20_days(client, world):
    client.force_login(world["learner"])
    for _ in range(2):
        assert client.post(reverse("privacy_erasure_request")).status_code == 302
    [request] = DataRequest.objects.filter(kind=RequestKind.ERASE)
    assert request.status == RequestStatus.OPEN
    assert request.unit == world["tree"].villages[0]
    assert request.due_at - request.received_at == timedelta(days=20)
    page = client.get(reverse("privacy_my_data"))
    assert timezone.localtime(request.due_at).strftime("%d/%m/%Y") in page.text


# ------------------------------------------------ 2. requests handled by people


def test_the_commune_and_province_admins_see_the_request_with_its_deadline(
    client, world
):
    request = erasure_request(user=world["learner"])
    due = timezone.localtime(request.due_at).strftime("%d/%m/%Y")
    for label in ("commune0.0", "province0"):
        client.force_login(world["tree"].admins[label])
        queue = client.get(reverse("privacy_requests"))
        assert queue.status_code == 200
        assert f'data-request="{request.pk}"' in queue.text and due in queue.text
        detail = client.get(reverse("privacy_request_detail", args=[request.pk]))
        assert "Nguyễn Thị Mai" in detail.text and due in detail.text


@pytest.mark.parametrize("label", ["commune0.1", "province1", "team_leader"])
def test_an_admin_elsewhere_can_neither_see_nor_carry_out_the_request(
    client, world, label
):
    request = erasure_request(user=world["learner"])
    client.force_login(world["tree"].admins[label])
    queue = client.get(reverse("privacy_requests"))
    assert queue.status_code in (200, 403)
    assert f'data-request="{request.pk}"' not in queue.text
    detail = client.get(reverse("privacy_request_detail", args=[request.pk]))
    assert detail.status_code in (403, 404)
    erase = client.post(reverse("privacy_request_erase", args=[request.pk]))
    assert erase.status_code in (403, 404)
    assert User.objects.get(pk=world["learner"].pk).full_name == "Nguyễn Thị Mai"


def test_a_learner_cannot_reach_the_queue(client, world):
    client.force_login(world["learner"])
    assert client.get(reverse("privacy_requests")).status_code == 403


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1", "abc"])
def test_a_hostile_request_id_is_404(client, world, pk):
    client.force_login(_commune_admin(world))
    response = client.get(f"/quan-tri/yeu-cau-du-lieu/{pk}/")
    assert response.status_code == 404


def test_a_deletion_is_refused_by_the_service_outside_the_scope(world):
    request = erasure_request(user=world["learner"])
    other = world["tree"].admins["commune0.1"]
    with pytest.raises(Exception, match="phạm vi"):
        erasure_carry_out(
            actor=other, scope=admin_scope_get(user=other), request=request
        )


def test_a_learner_without_a_place_is_answered_by_a_superuser(world, make_learner):
    tree = world["tree"]
    nowhere = make_learner(full_name="Không Nơi Ở", unit=None)
    request = erasure_request(user=nowhere)
    province = tree.admins["province0"]
    with pytest.raises(Exception, match="phạm vi"):
        erasure_carry_out(
            actor=province, scope=admin_scope_get(user=province), request=request
        )
    superuser = tree.admins["superuser"]
    erasure_carry_out(
        actor=superuser, scope=admin_scope_get(user=superuser), request=request
    )
    assert User.objects.get(pk=nowhere.pk).full_name == ""


def test_the_request_page_never_shows_a_phone_number(client, world):
    request = erasure_request(user=world["learner"])
    client.force_login(world["tree"].admins["province0"])
    page = client.get(reverse("privacy_request_detail", args=[request.pk]))
    assert "000 111" not in page.text and "000111" not in page.text


def _inside(quarter: str):
    """Noon on the second day of `quarter`, Vietnam's time."""
    start = quarter_parse(quarter).start
    return timezone.make_aware(datetime.combine(start, time(12)) + timedelta(days=1))


def test_erasure_removes_the_person_but_keeps_the_figures_true(client, world):
    tree, learner = world["tree"], world["learner"]
    commune_admin = _commune_admin(world)
    scope = admin_scope_get(user=commune_admin)
    commune = tree.communes[0]
    # Only a quarter that has ended can be frozen: the learner completed in it.
    quarter = quarter_last_ended(timezone.localdate())
    CourseCompletion.objects.filter(user=learner).update(completed_at=_inside(quarter))
    # Moved straight in the table: the report's maintained figures follow as
    # a service's write would make them (issue 23).
    maintained.learners_refresh(user_ids=[learner.pk])
    snapshot = report_snapshot_create(
        scope=scope,
        user=commune_admin,
        unit=commune,
        filters=Filters(
            subject=world["subject"], period=dates_period(None, None), audience=""
        ),
        quarter=quarter,
    )
    frozen = snapshot.levels

    def live_total():
        report = completion_report_rows(
            scope=scope,
            unit=commune,
            subject=world["subject"],
            period=quarter_parse(quarter),
            audience="",
        )
        return report.total.figures

    before = live_total()
    # Copies of the person elsewhere: an import row and a built learner list.
    job = ImportJob.objects.create(
        created_by=commune_admin,
        file_name="ds.csv",
        rows=[
            ["Họ và tên", "SĐT"],
            ["Nguyễn Thị Mai", "0912 000 111"],
            ["An", "0912000222"],
        ],
        outcomes=[{"row": 2, "name": "Nguyễn Thị Mai", "phone": "+84912000111"}],
        passwords=[["Nguyễn Thị Mai", "0912 000 111", "abc123xyz"]],
    )
    export = ExportJob.objects.create(
        requested_by=commune_admin,
        kind="learners_xlsx",
        unit=commune,
        status="done",
        file=ContentFile(b"PK", name="ds.xlsx"),
    )
    client.force_login(learner)
    session_key = client.session.session_key
    request = erasure_request(user=learner)

    client.force_login(commune_admin)
    response = client.post(reverse("privacy_request_erase", args=[request.pk]))
    assert response.status_code == 302

    gone = User.objects.get(pk=learner.pk)
    assert gone.full_name == "" and gone.phone is None and gone.email == ""
    assert gone.birth_year is None and not gone.is_active
    assert not gone.has_usable_password()
    assert "Mai" not in gone.username
    assert not gone.consents.exists() and not gone.team_memberships.exists()
    # The number is free for a new account.
    User.objects.create_user(username="moi", phone="+84912000111")
    # Their old session no longer logs anyone in.
    client.cookies["sessionid"] = session_key
    assert client.get(reverse("privacy_my_data")).status_code == 302
    # Stored rows and files naming them.
    job.refresh_from_db()
    assert "Nguyễn Thị Mai" not in json.dumps(job.rows + job.outcomes + job.passwords)
    assert ["An", "0912000222"] in job.rows
    assert not ExportJob.objects.filter(pk=export.pk).exists()
    # The certificate: genuine, but nothing about the holder.
    certificate = Certificate.objects.get(pk=world["certificate"].pk)
    assert certificate.status == "erased" and certificate.holder_name == ""
    page = client.get(reverse("certificate_verify", args=[certificate.code]))
    assert page.status_code == 200
    assert "không còn hiển thị" in page.text
    assert "Không tìm thấy chứng nhận" not in page.text
    assert "Nguyễn Thị Mai" not in page.text
    # Gone from lists, still counted in the figures.
    rows = learner_list(
        scope=scope,
        viewer=commune_admin,
        unit=commune,
        subject=world["subject"],
        audience="",
    )
    assert [r.full_name for r in rows] == ["Trần Văn Bình"]
    assert live_total() == before
    snapshot.refresh_from_db()
    assert snapshot.levels == frozen
    # Who did what when.
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    assert [(e.action, e.actor_id) for e in request.events.all()] == [
        ("received", learner.pk),
        ("done", commune_admin.pk),
    ]
    assert AccessLogEntry.objects.filter(
        kind=AccessKind.ERASED, actor=commune_admin, unit=tree.villages[0], people=1
    ).exists()
    # A second try changes nothing and says so.
    client.force_login(commune_admin)
    again = client.post(
        reverse("privacy_request_erase", args=[request.pk]), follow=True
    )
    assert "đã được xử lý" in again.text


def test_reminders_go_once_to_the_commune_admins_before_the_deadline(world):
    tree = world["tree"]
    admin = _commune_admin(world)
    admin.phone = "+84912000999"
    admin.save()
    now = timezone.now()
    request = erasure_request(user=world["learner"], now=now)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert data_request_reminders_send(now=now) == 0  # 20 days left
    sms.outbox.clear()
    later = request.due_at - timedelta(days=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert data_request_reminders_send(now=later) == 1
        assert data_request_reminders_send(now=later) == 0
    assert [m.to for m in sms.outbox] == ["+84912000999"]
    assert (
        request.due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y")
        in sms.outbox[0].text
    )
    assert "Nguyễn Thị Mai" not in sms.outbox[0].text
    request.refresh_from_db()
    assert request.reminded_at == later
    assert request.events.filter(action="reminded").count() == 1
    # The province admin is not bothered while the commune has one.
    assert tree.admins["province0"].phone is None or len(sms.outbox) == 1


# ---------------------------------------------------------- 3. access log


def test_viewing_a_list_with_full_phones_is_logged_masked_is_not(client, world):
    tree = world["tree"]
    commune = tree.communes[0]
    query = f"?subject=course:{world['course'].pk}&audience="
    client.force_login(_commune_admin(world))
    page = client.get(reverse("report_learners", args=[commune.code]) + query)
    assert "+84912000111" in page.text
    client.get(reverse("report_learners", args=[commune.code]) + query + "&format=csv")
    client.force_login(tree.admins["province0"])
    page = client.get(reverse("report_learners", args=[commune.code]) + query)
    assert "+84912000111" not in page.text
    entries = [
        (e.kind, e.actor, e.unit, e.people)
        for e in AccessLogEntry.objects.order_by("pk")
    ]
    admin = _commune_admin(world)
    assert entries == [
        (AccessKind.LIST_VIEWED, admin, commune, 2),
        (AccessKind.LIST_EXPORTED, admin, commune, 2),
    ]


def test_a_learner_list_exported_in_the_background_is_logged(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_EXPORT_ASYNC_FROM = 1
    commune = world["tree"].communes[0]
    admin = _commune_admin(world)
    client.force_login(admin)
    url = reverse("report_learners", args=[commune.code])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            url + f"?subject=course:{world['course'].pk}&audience=&format=xlsx"
        )
    assert response.status_code == 302
    assert ExportJob.objects.get().status == "done"
    assert [
        (e.kind, e.actor, e.unit, e.people) for e in AccessLogEntry.objects.all()
    ] == [(AccessKind.LIST_EXPORTED, admin, commune, 2)]


def test_province_admins_read_their_subtree_log_only(client, world):
    tree = world["tree"]
    AccessLogEntry.objects.create(
        actor=_commune_admin(world),
        kind=AccessKind.IMPORTED,
        unit=tree.villages[0],
        people=12,
        at=timezone.now(),
    )
    AccessLogEntry.objects.create(
        actor=tree.admins["commune1.0"],
        kind=AccessKind.IMPORTED,
        unit=tree.communes[3],
        people=34,
        at=timezone.now(),
    )
    client.force_login(tree.admins["province0"])
    page = client.get(reverse("privacy_access_log"))
    assert page.status_code == 200
    assert "qt_xa_0_0" in page.text and "Thôn 0.0.0" in page.text
    assert "qt_xa_1_0" not in page.text
    for label in ("commune0.0", "learner"):
        client.force_login(tree.admins[label])
        assert client.get(reverse("privacy_access_log")).status_code == 403


def test_an_import_is_logged_per_unit_with_how_many_people(client, world):
    from tests.hocvuso.accounts.test_import_hygiene import _confirm, _upload

    tree = world["tree"]
    admin = _commune_admin(world)
    client.force_login(admin)
    village = tree.villages[1]
    job = _upload(
        client,
        [
            ["An Bình", "0912000301", "", "90000", village.name, "", ""],
            ["Lê Hoa", "0912000302", "", "90000", "", "", ""],
            ["Phạm Lan", "0912000303", "", "90000", "", "", ""],
        ],
    )
    _confirm(client, job)
    entries = {
        (e.unit_id, e.people)
        for e in AccessLogEntry.objects.filter(kind=AccessKind.IMPORTED, actor=admin)
    }
    assert entries == {(village.pk, 1), (tree.communes[0].pk, 2)}
