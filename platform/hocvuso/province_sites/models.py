from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from hocvuso.orgunits.models import UnitLevel

from .forms import ProvinceSiteForm

DEFAULT_PRIMARY = "#0b5394"
DEFAULT_DARK = "#073763"

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}\Z",
    _("Màu phải có dạng #RRGGBB, ví dụ #0b5394."),
    code="colour",
)


@register_setting(icon="site")
class ProvinceSite(BaseSiteSetting):
    """What makes a Wagtail site one province's: its part of the org tree,
    its name, logo, colours and contact. A site without one (or without a
    province) is the national site: every province is offered and ranked."""

    province = models.OneToOneField(
        "orgunits.Unit",
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="province_site",
        limit_choices_to={"level": UnitLevel.PROVINCE},
        help_text=_("Bỏ trống cho trang toàn quốc."),
    )
    name = models.CharField(
        _("tên hiển thị"),
        max_length=120,
        blank=True,
        help_text=_("Hiện ở đầu mỗi trang; bỏ trống để dùng “Bình dân học vụ số”."),
    )
    welcome = models.CharField(_("lời chào trên trang chủ"), max_length=300, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("biểu trưng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("màu chính"),
        max_length=7,
        default=DEFAULT_PRIMARY,
        validators=[colour_validator],
        help_text=_("Dạng #RRGGBB; chữ trắng phải đọc rõ trên màu này."),
    )
    dark_colour = models.CharField(
        _("màu đậm"),
        max_length=7,
        default=DEFAULT_DARK,
        validators=[colour_validator],
        help_text=_("Dạng #RRGGBB, dùng cho nút khi bấm."),
    )
    contact_text = models.CharField(
        _("thông tin liên hệ"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Sở Khoa học và Công nghệ, 01 Hùng Vương."),
    )
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)

    base_form_class = ProvinceSiteForm

    panels = [
        FieldPanel("province"),
        FieldPanel("name"),
        FieldPanel("welcome"),
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        FieldPanel("dark_colour"),
        FieldPanel("contact_text"),
        FieldPanel("contact_phone"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("trang của tỉnh")

    def __str__(self) -> str:
        return self.name or str(self.site)
