"""Reads: what the platform holds about one learner, the request queue and
the access log of an administrator's subtree."""

from dataclasses import dataclass

from allauth.socialaccount.models import SocialAccount
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from certificates.models import Certificate
from courses.models import CourseCompletion, Enrolment, LessonProgress, PackageAttempt
from hocvuso.accounts.models import Consent
from hocvuso.orgunits.models import AdminRole, AdminRoleKind, TeamMembership
from hocvuso.orgunits.selectors import AdminScope, unit_ancestry_get
from hocvuso.training.selectors import person_classes_rows
from quizzes.models import Attempt

from .models import AccessLogEntry, DataRequest, RequestKind, RequestStatus

# A section of the learner's data: a title and rows of (label, value) cells.
Section = tuple[str, list[str], list[list]]


@dataclass(frozen=True)
class PersonalData:
    """Everything held about one learner, as sections of a table, so the
    page, the JSON and the XLSX say the same thing."""

    sections: list[Section]

    def as_json(self) -> dict:
        return {
            title: [dict(zip(headers, row, strict=True)) for row in rows]
            for title, headers, rows in self.sections
        }


def _place(user) -> str:
    return " — ".join(u.name for u in unit_ancestry_get(unit=user.unit))


def personal_data_get(*, user) -> PersonalData:
    """A fixed number of queries, whatever the learner has done."""
    profile = [
        [_("Tên đăng nhập"), user.username],
        [_("Họ và tên"), user.full_name],
        [_("Số điện thoại"), user.phone_local],
        [
            _("Đã xác thực số điện thoại"),
            _("có") if user.phone_verified else _("không"),
        ],
        [_("Thư điện tử"), user.email],
        [_("Năm sinh"), user.birth_year or ""],
        [_("Nơi sinh sống"), _place(user)],
        [_("Đối tượng"), user.get_learner_type_display()],
        [_("Ngày tạo tài khoản"), user.date_joined],
        [_("Lần đăng nhập gần nhất"), user.last_login or ""],
    ]
    teams = [
        [m.team.name, m.get_role_display(), m.joined_at]
        for m in TeamMembership.objects.filter(user=user).select_related("team")
    ]
    consents = [
        [c.notice.version, c.notice.title, c.accepted_at]
        for c in Consent.objects.filter(user=user).select_related("notice")
    ]
    lessons_done = dict(
        LessonProgress.objects.filter(user=user, completed_at__isnull=False)
        .values("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    completed = set(
        CourseCompletion.objects.filter(user=user).values_list("course_id", flat=True)
    )
    enrolments = [
        [
            e.course.title,
            e.enrolled_at,
            e.last_activity_at,
            lessons_done.get(e.course_id, 0),
            _("có") if e.course_id in completed else _("chưa"),
        ]
        for e in Enrolment.objects.filter(user=user)
        .select_related("course")
        .order_by("enrolled_at")
    ]
    attempts = [
        [
            a.course.title,
            a.started_at,
            a.finished_at or "",
            "" if a.score_percent is None else round(a.score_percent, 1),
            {True: _("đạt"), False: _("chưa đạt")}.get(a.passed, ""),
        ]
        for a in Attempt.objects.filter(user=user)
        .select_related("course")
        .order_by("started_at")
    ]
    packages = [
        [
            a.package.title,
            a.get_status_display(),
            "" if a.score is None else a.score,
            "" if a.best_score is None else a.best_score,
            a.completed_at or "",
            a.updated_at,
        ]
        for a in PackageAttempt.objects.filter(user=user)
        .select_related("package")
        .order_by("updated_at")
    ]
    certificates = [
        [c.serial or "", c.title, c.issued_at, c.get_status_display()]
        for c in Certificate.objects.filter(user=user).order_by("issued_at")
    ]
    identities = [
        _identity_row(account)
        for account in SocialAccount.objects.filter(user=user).order_by("date_joined")
    ]
    requests = [
        [r.get_kind_display(), r.received_at, r.due_at, r.get_status_display()]
        for r in DataRequest.objects.filter(user=user).order_by("received_at")
    ]
    return PersonalData(
        sections=[
            ("Thông tin cá nhân", [_("Mục"), _("Giá trị")], profile),
            ("Tổ công nghệ số", [_("Tổ"), _("Vai trò"), _("Tham gia từ")], teams),
            (
                _("Đồng ý xử lý dữ liệu"),
                [_("Phiên bản thông báo"), _("Tiêu đề"), _("Thời điểm đồng ý")],
                consents,
            ),
            (
                _("Khóa học và tiến độ"),
                [
                    _("Khóa học"),
                    _("Ghi danh"),
                    _("Hoạt động gần nhất"),
                    _("Số bài đã học xong"),
                    _("Hoàn thành khóa học"),
                ],
                enrolments,
            ),
            (
                _("Bài kiểm tra và điểm"),
                [
                    _("Khóa học"),
                    _("Bắt đầu"),
                    _("Nộp bài"),
                    _("Điểm (%)"),
                    _("Kết quả"),
                ],
                attempts,
            ),
            (
                _("Gói nội dung trong bài học"),
                [
                    _("Gói nội dung"),
                    _("Trạng thái"),
                    _("Điểm lần gần nhất"),
                    _("Điểm cao nhất"),
                    _("Học xong lúc"),
                    _("Cập nhật lúc"),
                ],
                packages,
            ),
            (
                _("Chứng nhận"),
                [
                    _("Số hiệu"),
                    _("Khóa học / chương trình"),
                    _("Ngày cấp"),
                    _("Trạng thái"),
                ],
                certificates,
            ),
            (
                _("Lớp tập huấn"),
                [
                    _("Lớp"),
                    _("Bắt đầu"),
                    _("Được mời"),
                    _("Điểm danh lúc"),
                    _("Đến muộn"),
                ],
                person_classes_rows(user=user),
            ),
            (
                _("Tài khoản định danh đã liên kết"),
                [
                    _("Nhà cung cấp"),
                    _("Mã định danh"),
                    _("Họ và tên do nhà cung cấp gửi"),
                    _("Số điện thoại do nhà cung cấp gửi"),
                    _("Liên kết từ"),
                    _("Lần dùng gần nhất"),
                ],
                identities,
            ),
            (
                _("Yêu cầu về dữ liệu"),
                [_("Yêu cầu"), _("Ngày nhận"), _("Hạn trả lời"), _("Trạng thái")],
                requests,
            ),
        ]
    )


def _identity_row(account: SocialAccount) -> list:
    """What an identity provider sent and we kept (accounts.oidc.provider)."""
    claims = {}
    for part in ("id_token", "userinfo"):  # userinfo's, where it has them
        if isinstance(account.extra_data.get(part), dict):
            claims.update(account.extra_data[part])
    return [
        account.provider,
        account.uid,
        str(claims.get("name") or ""),
        str(claims.get("phone_number") or ""),
        account.date_joined,
        account.last_login,
    ]


def erasure_pending(*, user) -> DataRequest | None:
    return DataRequest.objects.filter(
        user=user, kind=RequestKind.ERASE, status=RequestStatus.OPEN
    ).first()


def data_requests_in_scope(*, scope: AdminScope) -> QuerySet[DataRequest]:
    """Requests of learners who lived in the scope when they asked, the open
    ones first, nearest deadline first."""
    return (
        DataRequest.objects.filter(scope.q("unit"))
        .select_related("unit", "user")
        .prefetch_related("events__actor")
        .order_by("-status", "due_at", "pk")
    )


def data_request_in_scope_get(*, scope: AdminScope, pk: int) -> DataRequest | None:
    return data_requests_in_scope(scope=scope).filter(pk=pk).first()


def request_responsible_admins(*, request: DataRequest) -> list:
    """Who must answer: the administrators of the learner's commune (or
    village), else those of the province above it."""
    ancestry = unit_ancestry_get(unit=request.unit)
    roles = AdminRole.objects.filter(
        unit__in=ancestry,
        role__in=(AdminRoleKind.COMMUNE_ADMIN, AdminRoleKind.PROVINCE_ADMIN),
        user__is_active=True,
    ).select_related("user", "unit")
    by_depth: dict[int, list] = {}
    for role in roles:
        by_depth.setdefault(role.unit.depth, []).append(role.user)
    return by_depth[max(by_depth)] if by_depth else []


def access_log_in_scope(*, scope: AdminScope) -> QuerySet[AccessLogEntry]:
    """The entries about units of the scope. Imports of a unit-less admin
    and deletions of a person without a unit are a superuser's to read."""
    if scope.everything:
        entries = AccessLogEntry.objects.all()
    else:
        entries = AccessLogEntry.objects.filter(scope.q("unit") & Q(unit__isnull=False))
    return entries.select_related("actor", "unit")
