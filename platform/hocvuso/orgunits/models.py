from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    VILLAGE = "village", _("Thôn, bản, ấp, tổ dân phố")


class Unit(MP_Node):
    """A node of the tree Province → Commune → Village/residential group.

    Materialised paths make "this unit and everything under it" a single
    indexed prefix match, which is what every admin scope and report needs.
    Provinces and communes carry their national code (never reused); villages
    get `<commune code>-<nn>`.
    """

    code = models.CharField(_("mã đơn vị"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    kind = models.CharField(
        _("loại"),
        max_length=40,
        help_text=_("tỉnh, phường, xã, đặc khu, thôn, tổ dân phố…"),
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.name


class AdminRoleKind(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Quản trị tỉnh")
    COMMUNE_ADMIN = "commune_admin", _("Quản trị xã")
    TEAM_LEADER = "team_leader", _("Tổ trưởng")
    CONTENT_EDITOR = "content_editor", _("Biên tập nội dung")


class AdminRole(models.Model):
    """A role held over a unit; its scope is the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admin_roles"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=AdminRoleKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="admin_roles")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò quản trị")
        verbose_name_plural = _("vai trò quản trị")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="uniq_admin_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit}"


class TeamKind(models.TextChoices):
    COMMUNITY = "community", _("Tổ công nghệ số cộng đồng")
    YOUTH_UNION = "youth_union", _("Tổ công nghệ số của Tỉnh đoàn")


class Team(models.Model):
    """A Tổ công nghệ số cộng đồng: in a commune or a village, or the
    provincial youth union's team attached to the province."""

    name = models.CharField(_("tên tổ"), max_length=200)
    kind = models.CharField(
        _("loại tổ"),
        max_length=20,
        choices=TeamKind.choices,
        default=TeamKind.COMMUNITY,
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tổ công nghệ số")
        verbose_name_plural = _("tổ công nghệ số")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="uniq_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    MEMBER = "member", _("Thành viên")


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(
        _("vai trò trong tổ"),
        max_length=10,
        choices=TeamRole.choices,
        default=TeamRole.MEMBER,
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="uniq_team_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.team} ({self.get_role_display()})"


class Assignment(models.Model):
    """A course or a programme that learners of a unit (and everything under
    it) or of a team must finish between two dates."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("khóa học"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("chương trình"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("tổ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    starts_on = models.DateField(_("ngày bắt đầu"))
    due_on = models.DateField(_("hạn hoàn thành"))
    remind_days_before = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (ngày)"), default=3
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giao khóa học")
        verbose_name_plural = _("giao khóa học")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=True)
                ^ models.Q(programme__isnull=True),
                name="assignment_course_xor_programme",
            ),
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(team__isnull=True),
                name="assignment_unit_xor_team",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="assignment_due_after_start",
            ),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.course or self.programme} → {self.unit or self.team}"


class AssignmentReminder(models.Model):
    """A reminder sent: one per learner, assignment and due date, ever."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lời nhắc hạn học")
        verbose_name_plural = _("lời nhắc hạn học")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "due_on"], name="uniq_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.assignment_id} ({self.due_on})"


class UnitTarget(models.Model):
    """How many learners a unit plans to train in a programme (the plans set
    targets in persons); the reports show "% of target" from it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="targets"
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("chương trình"),
        on_delete=models.CASCADE,
        related_name="unit_targets",
    )
    learners = models.PositiveIntegerField(_("số học viên chỉ tiêu"))

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "programme"], name="uniq_target_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.learners}"
