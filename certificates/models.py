import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# 16 random bytes = 128 bits (at least 96 are required), 22 URL-safe characters.
CODE_BYTES = 16


def code_new() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """Each province brands its own certificates."""

    issuer_name = models.CharField(
        _("đơn vị cấp"),
        max_length=200,
        default="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
    )
    signer_name = models.CharField(
        _("người ký"), max_length=120, default="Nguyễn Văn Minh"
    )
    signer_title = models.CharField(
        _("chức vụ người ký"), max_length=120, default="Giám đốc"
    )
    heading = models.CharField(_("tiêu đề"), max_length=120, default="Giấy chứng nhận")
    wording = models.CharField(
        _("lời chứng nhận"),
        max_length=200,
        default="Đã hoàn thành khóa học trên nền tảng Bình dân học vụ số",
    )
    serial_prefix = models.CharField(
        _("tiền tố số hiệu"),
        max_length=8,
        default="QNG",
        help_text=_("Ví dụ QNG: số hiệu có dạng QNG-2026-000123."),
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("con dấu hoặc biểu trưng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Bỏ trống để dùng biểu trưng mặc định."),
    )

    panels = [
        FieldPanel("issuer_name"),
        FieldPanel("signer_name"),
        FieldPanel("signer_title"),
        FieldPanel("heading"),
        FieldPanel("wording"),
        FieldPanel("serial_prefix"),
        FieldPanel("seal"),
    ]

    class Meta:
        verbose_name = _("mẫu chứng nhận")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    REVOKED = "revoked", _("Đã thu hồi")
    REPLACED = "replaced", _("Đã được thay thế")
    # The holder had their personal data deleted (Law 91/2025): the code was
    # genuine, but nothing about the person is shown any more.
    ERASED = "erased", _("Không còn hiển thị")


class RevocationCategory(models.TextChoices):
    """Why a certificate was revoked, as the public may read it; the
    administrator's own words (status_reason) stay internal."""

    ISSUED_IN_ERROR = "issued_in_error", _("Cấp nhầm")
    RESULT_INVALID = "result_invalid", _("Kết quả bài kiểm tra không hợp lệ")
    HOLDER_REQUEST = "holder_request", _("Theo đề nghị của người được cấp")
    OTHER = "other", _("Lý do khác")


class Certificate(models.Model):
    """The platform's own confirmation that a learner completed a course or a
    programme (not a VNeID record). Looked up only by its random code."""

    code = models.CharField(
        max_length=32, unique=True, default=code_new, editable=False
    )
    # Null until the row has its id (the serial's number): several
    # certificates being created at once must not collide on "".
    serial = models.CharField(  # noqa: DJ001
        _("số hiệu"), max_length=40, unique=True, null=True, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("học viên"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # Snapshots: what the certificate says stays what it said when issued.
    holder_name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("khóa học / chương trình"), max_length=255)
    # The language the course was taken in; title is in it. source_title:
    # the Vietnamese title when it differs, printed beside it.
    language = models.CharField(_("ngôn ngữ"), max_length=12, default="vi")
    source_title = models.CharField(max_length=255, blank=True)
    completed_at = models.DateTimeField(_("ngày hoàn thành"))
    score_percent = models.FloatField(_("điểm (%)"), null=True, blank=True)
    issuer_name = models.CharField(_("đơn vị cấp"), max_length=200)
    signer_name = models.CharField(max_length=120)
    signer_title = models.CharField(max_length=120)
    issued_at = models.DateTimeField(_("ngày cấp"), auto_now_add=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    status_reason = models.TextField(_("lý do (nội bộ)"), blank=True)
    revocation_category = models.CharField(
        _("loại lý do thu hồi"),
        max_length=20,
        choices=RevocationCategory.choices,
        blank=True,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("thay thế bằng"),
    )
    pdf = models.FileField(upload_to="certificates/pdf/", blank=True)
    png = models.FileField(upload_to="certificates/png/", blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chứng nhận")
        verbose_name_plural = _("chứng nhận")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=True) ^ Q(programme__isnull=True),
                name="certificate_for_a_course_or_a_programme",
            ),
            # One certificate per learner and course (and programme); a
            # replaced one steps aside for its re-issue.
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(course__isnull=False) & ~Q(status="replaced"),
                name="one_certificate_per_learner_course",
            ),
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=Q(programme__isnull=False) & ~Q(status="replaced"),
                name="one_certificate_per_learner_programme",
            ),
        ]
        indexes = [models.Index(fields=["user", "-issued_at"])]

    def __str__(self) -> str:
        return f"{self.serial or '…'} — {self.holder_name} — {self.title}"

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class RegenerationJob(models.Model):
    """Re-drawing every certificate after a template change, run in Celery."""

    created_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


class CredentialKey(models.Model):
    """A key the province signs its verifiable credentials with (ES256,
    docs/verifiable-credentials.md). The newest key not retired signs; a
    retired key stays published so the credentials it signed still verify;
    a withdrawn one (compromised) is no longer published, so they do not.
    The private key is stored encrypted with CERTIFICATES_KEY_PASSPHRASE,
    which lives outside the database."""

    key_id = models.CharField(max_length=40, unique=True, editable=False)
    public_jwk = models.JSONField(editable=False)
    private_key_encrypted = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khóa ký chứng chỉ số")
        verbose_name_plural = _("khóa ký chứng chỉ số")

    def __str__(self) -> str:
        return self.key_id
