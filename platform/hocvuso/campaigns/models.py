from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX = 200
GOALS_MAX = 2000


class Campaign(models.Model):
    """A campaign of the movement (10/10, a month of action): its dates, the
    units taking part (each with its whole subtree) and its goals. The
    learners of those units see it on the home page while it runs; the
    emulation board and the completion report can be restricted to it."""

    name = models.CharField(_("tên chiến dịch"), max_length=NAME_MAX)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    # The unit whose admins (and those above) manage the campaign: the one
    # whose page it was created from.
    owner_unit = models.ForeignKey(
        "orgunits.Unit",
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.CASCADE,
        related_name="campaigns_owned",
    )
    units = models.ManyToManyField(
        "orgunits.Unit", verbose_name=_("đơn vị tham gia"), related_name="campaigns"
    )
    # The programme the board ranks by during the campaign (targets are set
    # per programme); empty: the board's default programme.
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("chương trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    goal_completions = models.PositiveIntegerField(
        _("mục tiêu số người hoàn thành"), null=True, blank=True
    )
    goals = models.TextField(_("mục tiêu"), max_length=GOALS_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = _("chiến dịch")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["ends_on", "starts_on"])]

    def __str__(self) -> str:
        return self.name
