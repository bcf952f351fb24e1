"""The platform as an LTI 1.3 tool (docs/lti.md): the learning management
systems allowed to launch it, the tool's own signing keys, who a platform's
user is here, and the scores owed to a platform's grade book."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LtiPlatform(models.Model):
    """One registration of the tool in an LMS (a school's Moodle, the
    national platform): what its administrator reads off their tool
    settings after adding ours."""

    name = models.CharField(
        _("tên hệ thống"),
        max_length=150,
        help_text=_("Ví dụ: Moodle Trường THPT Quốc Học Huế."),
    )
    issuer = models.CharField(
        _("định danh nền tảng (issuer)"),
        max_length=300,
        help_text=_("Moodle: địa chỉ trang Moodle, ví dụ https://moodle.truong.edu.vn"),
    )
    client_id = models.CharField(
        _("mã máy khách (client ID)"),
        max_length=200,
        help_text=_("Do hệ thống quản lý học tập cấp khi thêm công cụ."),
    )
    deployment_ids = models.TextField(
        _("mã triển khai (deployment ID)"),
        help_text=_(
            "Mỗi dòng một mã; chỉ các lượt mở có mã trong danh sách được nhận."
        ),
    )
    auth_login_url = models.CharField(
        _("địa chỉ xác thực (authentication request URL)"), max_length=300
    )
    auth_token_url = models.CharField(
        _("địa chỉ cấp token (access token URL)"), max_length=300
    )
    key_set_url = models.CharField(
        _("địa chỉ khóa công khai (public keyset URL)"), max_length=300
    )
    enabled = models.BooleanField(
        _("đang dùng"),
        default=True,
        help_text=_("Tắt để từ chối mọi lượt mở từ hệ thống này."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hệ thống quản lý học tập (LTI)")
        verbose_name_plural = _("hệ thống quản lý học tập (LTI)")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "client_id"], name="lti_platform_issuer_client"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def deployment_id_list(self) -> list[str]:
        return [
            line.strip() for line in self.deployment_ids.splitlines() if line.strip()
        ]


class ToolKey(models.Model):
    """The tool's RSA key: it signs the deep-linking answers and the grade
    service's token requests; its public half is published at /lti/jwks/.
    One key signs (`active`); retired keys stay published until removed, so
    a platform that cached the old set still checks what was signed before a
    rotation."""

    kid = models.CharField(max_length=100, unique=True)
    private_key_encrypted = models.TextField()
    public_jwk = models.JSONField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="lti_one_active_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class LtiIdentity(models.Model):
    """A platform's user (issuer + `sub`, as the LTI launch names them) and
    the account here they sign in to. Never matched by name or e-mail."""

    platform = models.ForeignKey(
        LtiPlatform, on_delete=models.CASCADE, related_name="identities"
    )
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lti_identities",
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "sub"], name="lti_identity_sub")
        ]

    def __str__(self) -> str:
        return f"{self.platform_id}:{self.sub}"


class GradeTarget(models.Model):
    """Where a launched learner's result in a course goes: the line item the
    platform's last launch named (the Assignment and Grade Services claim)."""

    identity = models.ForeignKey(
        LtiIdentity, on_delete=models.CASCADE, related_name="grade_targets"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )
    lineitem_url = models.CharField(max_length=500)
    scopes = models.JSONField(default=list)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "course"], name="lti_grade_target_course"
            )
        ]

    def __str__(self) -> str:
        return self.lineitem_url


class Score(models.Model):
    """The grade outbox: written with the learning event, posted by Celery
    (services.score_send), kept with its retries until the platform has it."""

    target = models.ForeignKey(GradeTarget, on_delete=models.CASCADE, related_name="+")
    score_given = models.FloatField()
    score_maximum = models.FloatField()
    activity_progress = models.CharField(max_length=20)
    grading_progress = models.CharField(max_length=20)
    timestamp = models.DateTimeField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True),
                name="lti_score_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.score_given}/{self.score_maximum}"
