"""Extra time for a learner or a whole unit (a commune lost power), granted
by the admins whose subtree it is."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hocvuso.accounts.phone import phone_normalize
from quizzes.models import QuizPage
from quizzes.services import extra_time_grant

from .models import Unit
from .selectors import admin_scope_get

# Long enough for a make-up session, short enough that a grant cannot outlive
# the reason it was given.
WINDOW_MAX = timedelta(days=30)


class ExtraTimeForm(forms.Form):
    quiz = forms.ModelChoiceField(
        QuizPage.objects.live().order_by("path"), label=gettext_lazy("Bài kiểm tra")
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Số phút cộng thêm"), min_value=1, max_value=600
    )
    phone_or_username = forms.CharField(
        label=gettext_lazy("Một học viên (số điện thoại hoặc tên đăng nhập)"),
        required=False,
    )
    unit_code = forms.CharField(
        label=gettext_lazy("Hoặc cả một đơn vị (mã xã, mã thôn)"), required=False
    )
    applies_until = forms.DateTimeField(
        label=gettext_lazy(
            "Cũng áp dụng cho các lượt học viên này bắt đầu trước (tùy chọn)"
        ),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applies_until"].help_text = _(
            "Chỉ dùng khi cộng giờ cho một học viên, tối đa %(days)d ngày. Bỏ "
            "trống thì chỉ các lượt đang làm bài được cộng."
        ) % {"days": WINDOW_MAX.days}

    def clean(self):
        data = super().clean()
        who, code = (
            data.get("phone_or_username", "").strip(),
            data.get("unit_code", "").strip(),
        )
        if who and code:
            raise forms.ValidationError(
                _("Chỉ chọn một học viên hoặc một đơn vị, không chọn cả hai.")
            )
        if not who and not code:
            raise forms.ValidationError(_("Hãy chọn một học viên hoặc một đơn vị."))
        until = data.get("applies_until")
        if until and code:
            self.add_error(
                "applies_until",
                _(
                    "Thời hạn chỉ dùng khi cộng giờ cho một học viên; cộng giờ "
                    "cho một đơn vị chỉ áp dụng cho các lượt đang làm bài."
                ),
            )
        elif until and not timezone.now() < until <= timezone.now() + WINDOW_MAX:
            self.add_error(
                "applies_until",
                _("Thời hạn phải trong vòng %(days)d ngày tới.")
                % {"days": WINDOW_MAX.days},
            )
        data["user"] = data["unit"] = None
        if who:
            users = get_user_model().objects
            try:
                data["user"] = users.filter(phone=phone_normalize(who)).first()
            except forms.ValidationError:
                data["user"] = users.filter(username=who).first()
            if data["user"] is None:
                self.add_error("phone_or_username", _("Không tìm thấy học viên này."))
        else:
            data["unit"] = Unit.objects.filter(code=code).first()
            if data["unit"] is None:
                self.add_error(
                    "unit_code", _("Không có đơn vị mã %(code)s.") % {"code": code}
                )
        return data


def _may_grant(user, *, unit, learner) -> bool:
    """Only inside the granting admin's own subtree (DESIGN §5, invariant 5)."""
    target = unit or (learner.unit if learner else None)
    scope = admin_scope_get(user=user)
    return scope.everything or (target is not None and scope.contains(target))


def extra_time(request):
    form = ExtraTimeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not _may_grant(request.user, unit=data["unit"], learner=data["user"]):
            # A plain 403 (Wagtail would turn PermissionDenied into a redirect).
            return HttpResponseForbidden(
                _("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")
            )
        changed = extra_time_grant(
            quiz=data["quiz"],
            minutes=data["minutes"],
            user=data["user"],
            unit=data["unit"],
            granted_by=request.user,
            reason=data["reason"],
            applies_until=data["applies_until"],
        )
        messages.success(
            request,
            _("Đã cộng %(m)d phút cho %(n)d lượt đang làm bài.")
            % {"m": data["minutes"], "n": len(changed)},
        )
        if data["applies_until"]:
            messages.success(
                request,
                _("Các lượt bắt đầu trước %(t)s cũng được cộng %(m)d phút.")
                % {
                    "t": date_format(
                        timezone.localtime(data["applies_until"]), "H:i d/m/Y"
                    ),
                    "m": data["minutes"],
                },
            )
        return redirect("extra_time")
    return TemplateResponse(request, "orgunits/admin/extra_time.html", {"form": form})
