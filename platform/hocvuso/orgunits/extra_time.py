"""Extra time for a learner or a whole unit (a commune lost power), granted
by the admins whose subtree it is."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hocvuso.accounts.phone import phone_normalize
from quizzes.models import QuizPage
from quizzes.services import extra_time_grant

from .models import Unit
from .selectors import admin_scope_get


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
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), max_length=300, required=False
    )

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
        )
        messages.success(
            request,
            _("Đã cộng %(m)d phút cho %(n)d lượt đang làm bài.")
            % {"m": data["minutes"], "n": len(changed)},
        )
        return redirect("extra_time")
    return TemplateResponse(request, "orgunits/admin/extra_time.html", {"form": form})
