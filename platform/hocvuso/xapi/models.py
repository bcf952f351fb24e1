import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.forms import PasswordInput
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from .forms import LrsSettingsForm


@register_setting(icon="upload")
class LrsSettings(BaseSiteSetting):
    """Where a province site sends its learners' xAPI statements. Without an
    address, or switched off, nothing is written for the site's learners."""

    enabled = models.BooleanField(
        _("gửi dữ liệu học tập"),
        default=False,
        help_text=_(
            "Khi bật, mỗi lượt ghi danh, bài học hoàn thành, bài kiểm tra, khóa "
            "học hoàn thành và chứng nhận của người học thuộc trang này được gửi "
            "đến kho dữ liệu học tập (LRS) dưới dạng xAPI."
        ),
    )
    endpoint = models.CharField(
        _("địa chỉ LRS"),
        max_length=300,
        blank=True,
        help_text=_(
            "Địa chỉ xAPI của LRS, bắt đầu bằng https://, ví dụ "
            "https://lrs.hue.gov.vn/xapi; dữ liệu được gửi đến địa chỉ này "
            "cộng “/statements”."
        ),
    )
    key = models.CharField(
        _("khóa truy cập"),
        max_length=200,
        blank=True,
        help_text=_("Tên đăng nhập (Basic) do LRS cấp."),
    )
    secret = models.CharField(
        _("mật khẩu truy cập"),
        max_length=200,
        blank=True,
        help_text=_(
            "Mật khẩu (Basic) do LRS cấp. Không hiển thị lại; để trống để giữ "
            "mật khẩu đã lưu."
        ),
    )

    base_form_class = LrsSettingsForm

    panels = [
        FieldPanel("enabled"),
        FieldPanel("endpoint"),
        FieldPanel("key"),
        FieldPanel("secret", widget=PasswordInput(render_value=False)),
    ]

    class Meta:
        verbose_name = _("kho dữ liệu học tập (xAPI)")

    @property
    def active(self) -> bool:
        return self.enabled and bool(self.endpoint)


class LearnerKey(models.Model):
    """The learner's opaque name in statements: random, so nothing in the
    LRS leads back to a phone number, a name or an account number; deleted
    with the person's data, after which sent statements name nobody."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="xapi_key",
    )
    key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)

    def __str__(self) -> str:
        return str(self.key)


class Statement(models.Model):
    """The outbox: one statement written in the learning event's own
    transaction, sent later by outbox_drain_task. `statement_id` is fixed
    here, so sending it twice stores it once at the LRS."""

    statement_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.JSONField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            # The drain's queue: a site's unsent statements in order.
            models.Index(
                fields=["site", "id"],
                condition=Q(sent_at__isnull=True),
                name="xapi_statement_pending",
            ),
            models.Index(
                fields=["sent_at"],
                condition=Q(sent_at__isnull=False),
                name="xapi_statement_sent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)
