from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Xem, nhận bản sao dữ liệu")
    CORRECT = "correct", _("Sửa dữ liệu")
    WITHDRAW_CONSENT = "withdraw_consent", _("Rút lại sự đồng ý")
    ERASE = "erase", _("Xóa dữ liệu")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Đang chờ xử lý")
    DONE = "done", _("Đã thực hiện")


class DataRequest(models.Model):
    """A learner's request about their personal data (Law 91/2025, Art. 4).

    What the learner can do alone (see, download, correct, withdraw consent)
    is done at once and recorded as done; an erasure waits for a person: the
    administrators of the learner's commune, or of the province above it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Where the learner lived when asking: whose queue the request is in.
    unit = models.ForeignKey(
        "orgunits.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    kind = models.CharField(
        _("loại yêu cầu"), max_length=20, choices=RequestKind.choices
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
    )
    received_at = models.DateTimeField(_("ngày nhận"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu về dữ liệu cá nhân")
        verbose_name_plural = _("yêu cầu về dữ liệu cá nhân")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            # A second tap on "xóa" must not open a second request.
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(status="open"),
                name="one_open_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.received_at:%d/%m/%Y}"


class RequestAction(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận yêu cầu")
    REMINDED = "reminded", _("Nhắc hạn cho quản trị viên")
    DONE = "done", _("Thực hiện xong")


class RequestEvent(models.Model):
    """Who did what to a request, and when."""

    request = models.ForeignKey(
        DataRequest, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=RequestAction.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.at:%d/%m/%Y %H:%M}"


class AccessKind(models.TextChoices):
    LIST_VIEWED = "list_viewed", _("Xem danh sách học viên có số điện thoại đầy đủ")
    LIST_EXPORTED = (
        "list_exported",
        _("Xuất danh sách học viên có số điện thoại đầy đủ"),
    )
    IMPORTED = "imported", _("Nhập danh sách học viên")
    ERASED = "erased", _("Xóa dữ liệu của một người học")


class AccessLogEntry(models.Model):
    """Who saw, exported, imported or deleted how many people's data, where.

    Names the administrator and the unit, never the learners themselves: a
    log of personal data must not become one more copy of it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    kind = models.CharField(_("việc"), max_length=20, choices=AccessKind.choices)
    unit = models.ForeignKey(
        "orgunits.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    people = models.PositiveIntegerField(_("số người"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu")
        verbose_name_plural = _("nhật ký truy cập dữ liệu")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.people}"
