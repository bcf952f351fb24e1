from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField


class LearnerType(models.TextChoices):
    CITIZEN = "citizen", _("Người dân")
    TEAM_MEMBER = "team_member", _("Thành viên Tổ công nghệ số cộng đồng")


class User(AbstractUser):
    phone = models.CharField(
        _("số điện thoại"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Lưu theo dạng quốc tế, ví dụ +84912345678."),
    )
    phone_verified = models.BooleanField(_("đã xác thực số điện thoại"), default=False)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    unit = models.ForeignKey(
        "orgunits.Unit",
        verbose_name=_("nơi sinh sống"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    learner_type = models.CharField(
        _("đối tượng"),
        max_length=20,
        choices=LearnerType.choices,
        default=LearnerType.CITIZEN,
    )
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu khi đăng nhập"),
        default=False,
        help_text=_("Tài khoản nhận mật khẩu ban đầu trên phiếu in."),
    )
    # Mirrors of the user's roles, kept by orgunits.header_links: the header
    # links to the admin pages and to the team led from these, on every page,
    # without a query of its own.
    administers_units = models.BooleanField(default=False, editable=False)
    edits_content = models.BooleanField(default=False, editable=False)
    led_team = models.ForeignKey(
        "orgunits.Team",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    @property
    def phone_local(self) -> str:
        """The number as people write it: 0912 345 678."""
        from .phone import phone_display

        return phone_display(self.phone) if self.phone else ""

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class PrivacyNotice(models.Model):
    """A published version of the personal-data processing notice.

    The text is content, edited in the CMS, because the law behind it changes
    (Law 91/2025/QH15); a new version asks every learner to consent again.
    """

    version = models.CharField(_("phiên bản"), max_length=20, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = RichTextField(_("nội dung"))
    published_at = models.DateTimeField(_("áp dụng từ"))

    class Meta:
        verbose_name = _("thông báo xử lý dữ liệu cá nhân")
        verbose_name_plural = _("thông báo xử lý dữ liệu cá nhân")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Consent(models.Model):
    """Who agreed to which version of the notice, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    notice = models.ForeignKey(
        PrivacyNotice, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("thời điểm đồng ý"))

    class Meta:
        verbose_name = _("đồng ý xử lý dữ liệu")
        verbose_name_plural = _("đồng ý xử lý dữ liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice"], name="uniq_consent_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.notice.version}"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Đã kiểm tra, chờ xác nhận")
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang nhập dữ liệu")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Bị lỗi")


class LoginDelivery(models.TextChoices):
    SMS = "sms", _("Gửi tin nhắn SMS mời đăng nhập")
    SHEET = "sheet", _("In phiếu mật khẩu ban đầu (phải đổi khi đăng nhập lần đầu)")


class ImportJob(models.Model):
    """One uploaded file of learners or team members: its rows, the outcome of
    each row (dry run, then the real run) and the progress of the run."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.PREVIEW,
    )
    delivery = models.CharField(
        _("cách gửi thông tin đăng nhập"),
        max_length=10,
        choices=LoginDelivery.choices,
        default=LoginDelivery.SMS,
    )
    rows = models.JSONField(default=list)  # the file as text, header first
    outcomes = models.JSONField(default=list)  # one dict per non-blank row
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # [name, phone, password] for the printable sheet, until it is cleared
    # (by hand, or by services.import_jobs_expire).
    passwords = models.JSONField(default=list, blank=True)
    # When the retention rule emptied rows, outcomes and passwords.
    rows_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập danh sách")
        verbose_name_plural = _("lượt nhập danh sách")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100


def _forget_current_notice(**kwargs) -> None:
    from django.core.cache import cache

    from .selectors import CURRENT_NOTICE_CACHE_KEY, request_notice_id_forget

    cache.delete(CURRENT_NOTICE_CACHE_KEY)
    request_notice_id_forget()


models.signals.post_save.connect(_forget_current_notice, sender=PrivacyNotice)
models.signals.post_delete.connect(_forget_current_notice, sender=PrivacyNotice)
