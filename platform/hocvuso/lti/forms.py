from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from hocvuso.core.text import text_clean

from .claims import service_url_ok
from .models import LtiPlatform

URL_FIELDS = ("issuer", "auth_login_url", "auth_token_url", "key_set_url")
DEPLOYMENTS_MAX = 50


class LtiPlatformForm(WagtailAdminModelForm):
    """What a superuser copies from the LMS, checked as any input: clean
    text, https addresses, a short list of deployment ids."""

    def _url(self, name: str) -> str:
        value = text_clean(
            self.cleaned_data.get(name, ""),
            field=name,
            max_length=LtiPlatform._meta.get_field(name).max_length,
        ).strip()
        if not service_url_ok(value):
            raise ValidationError(
                _(
                    "Địa chỉ phải bắt đầu bằng https:// (ví dụ "
                    "https://moodle.truong.edu.vn/mod/lti/auth.php), không kèm "
                    "tên đăng nhập hay khoảng trắng."
                ),
                code="url",
            )
        return value

    def clean_issuer(self):
        return self._url("issuer")

    def clean_auth_login_url(self):
        return self._url("auth_login_url")

    def clean_auth_token_url(self):
        return self._url("auth_token_url")

    def clean_key_set_url(self):
        return self._url("key_set_url")

    def clean_name(self):
        return text_clean(self.cleaned_data["name"], field="name", max_length=150)

    def clean_client_id(self):
        value = text_clean(
            self.cleaned_data["client_id"], field="client_id", max_length=200
        ).strip()
        if not value or any(c.isspace() for c in value):
            raise ValidationError(_("Mã máy khách không được chứa khoảng trắng."))
        return value

    def clean_deployment_ids(self):
        value = text_clean(
            self.cleaned_data["deployment_ids"],
            field="deployment_ids",
            max_length=5000,
            multiline=True,
        )
        # Empty (or only spaces) is refused before this as a required field.
        ids = [line.strip() for line in value.splitlines() if line.strip()]
        if len(ids) > DEPLOYMENTS_MAX or any(len(i) > 255 for i in ids):
            raise ValidationError(
                _("Tối đa %(n)s mã triển khai, mỗi mã tối đa 255 ký tự.")
                % {"n": DEPLOYMENTS_MAX}
            )
        return "\n".join(ids)

    class Meta:
        model = LtiPlatform
        fields = [
            "name",
            "issuer",
            "client_id",
            "deployment_ids",
            "auth_login_url",
            "auth_token_url",
            "key_set_url",
            "enabled",
        ]
