from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassKind(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    VIDEO = "video", _("Trực tuyến qua hội nghị truyền hình")
    BOTH = "both", _("Cả hai")


class TrainingClass(models.Model):
    """A training day held by a province or a commune for the units it
    invites (the provincial plans: announced a week ahead, participants
    summoned three days before, a report after the class)."""

    title = models.CharField(_("tên lớp"), max_length=200)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("khóa học"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("chương trình"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=ClassKind.choices)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    conference_link = models.URLField(_("đường dẫn phòng họp"), blank=True)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    trainer = models.CharField(_("giảng viên"), max_length=150)
    capacity = models.PositiveIntegerField(_("số chỗ"))
    # The unit holding the class: its admins (and those above) manage it.
    unit = models.ForeignKey(
        "orgunits.Unit",
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="training_classes",
    )
    invited_units = models.ManyToManyField(
        "orgunits.Unit", verbose_name=_("đơn vị được mời"), related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed by one UPDATE … WHERE … IS NULL: each SMS round goes out once.
    notice_sent_at = models.DateTimeField(null=True, blank=True)
    summons_sent_at = models.DateTimeField(null=True, blank=True)
    # Cancelled: kept on the list as "Đã hủy", takes no check-in, and drops
    # out of the quarter's training figures. Claimed like the SMS rounds, so
    # the cancellation SMS goes out once.
    cancelled_at = models.DateTimeField(_("thời điểm hủy"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=True)
                ^ models.Q(programme__isnull=True),
                name="training_course_xor_programme",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Invitation(models.Model):
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("người được mời")
        verbose_name_plural = _("người được mời")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "user"], name="uniq_invitation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.training_class_id}"


class CheckinMethod(models.TextChoices):
    QR = "qr", _("Quét mã QR")
    CODE = "code", _("Nhập mã số")
    MANUAL = "manual", _("Giảng viên đánh dấu")


class Attendance(models.Model):
    """Someone was there: once per class, however many times they scan."""

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    marked_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=CheckinMethod.choices)
    late = models.BooleanField(_("đến muộn"), default=False)
    # Came without an invitation.
    walk_in = models.BooleanField(_("không có trong danh sách mời"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "user"], name="uniq_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.training_class_id}"
