"""The CMS screen "Tạo trang tỉnh": `province_site_create` for the national
administrator, who then finishes the site's look in its setting."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hocvuso.core.form_fields import TextField

from .services import (
    ProvinceSiteError,
    host_served,
    hostname_clean,
    province_choices,
    province_site_create,
)


class ProvinceSiteCreateForm(forms.Form):
    province = forms.ChoiceField(
        label=gettext_lazy("Tỉnh, thành phố"),
        # Django's Vietnamese catalogue leaves this one in English.
        error_messages={
            "invalid_choice": gettext_lazy("Hãy chọn một tỉnh trong danh sách.")
        },
    )
    hostname = TextField(
        label=gettext_lazy("Tên miền"),
        max_length=253,
        help_text=gettext_lazy(
            "Ví dụ hoc.hue.gov.vn: không kèm http://, cổng hay đường dẫn."
        ),
    )
    name = TextField(
        label=gettext_lazy("Tên hiển thị"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Bỏ trống để dùng tên tỉnh."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bundled list, not the imported units: the service imports the
        # chosen province's communes.
        self.fields["province"].choices = [
            ("", "—"),
            *((code, f"{code} — {name}") for code, name in province_choices()),
        ]

    def clean_hostname(self) -> str:
        try:
            return hostname_clean(self.cleaned_data["hostname"])
        except ProvinceSiteError as exc:
            raise forms.ValidationError(str(exc)) from exc


def province_site_add(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = ProvinceSiteCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = province_site_create(
                province_code=form.cleaned_data["province"],
                hostname=form.cleaned_data["hostname"],
                name=form.cleaned_data["name"],
            )
        except ProvinceSiteError as exc:
            form.add_error(None, str(exc))
        else:
            site = result.site
            if not result.created:
                form.add_error(
                    None,
                    _("Tỉnh này đã có trang tại %(host)s; không tạo gì thêm.")
                    % {"host": site.hostname},
                )
            else:
                messages.success(
                    request,
                    _("Đã tạo trang %(name)s tại %(host)s (thêm %(n)d đơn vị).")
                    % {
                        "name": site.site_name,
                        "host": site.hostname,
                        "n": result.units_created,
                    },
                )
                if not host_served(hostname=site.hostname):
                    messages.warning(
                        request,
                        _(
                            "Máy chủ chưa nhận tên miền %(host)s: thêm nó vào "
                            "ALLOWED_HOSTS trong cấu hình."
                        )
                        % {"host": site.hostname},
                    )
                return redirect(
                    reverse(
                        "wagtailsettings:edit",
                        args=["province_sites", "provincesite", site.pk],
                    )
                )
    return TemplateResponse(
        request,
        "province_sites/admin/province_site_add.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
