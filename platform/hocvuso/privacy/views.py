from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hocvuso.accounts.forms import ProfileForm
from hocvuso.orgunits.decorators import unit_admin_required
from hocvuso.orgunits.models import Unit
from hocvuso.orgunits.selectors import AdminScope
from hocvuso.province_sites.selectors import request_look

from . import exports
from .deadlines import ANSWER_DAYS
from .models import RequestKind
from .selectors import (
    access_log_in_scope,
    data_request_in_scope_get,
    data_requests_in_scope,
    erasure_pending,
    personal_data_get,
)
from .services import (
    RequestError,
    consent_withdraw,
    erasure_carry_out,
    erasure_request,
    personal_data_correct,
    personal_data_provided,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCESS_LOG_PAGE = 200


# ------------------------------------------------------------ the learner
# Not behind the consent gate: a learner who withdrew consent must still
# reach their data.


@login_required
def my_data(request):
    return render(
        request,
        "privacy/my_data.html",
        {
            "data": personal_data_get(user=request.user),
            "erasure": erasure_pending(user=request.user),
            "days": ANSWER_DAYS,
        },
    )


@login_required
def my_data_download(request, fmt: str):
    if fmt not in ("json", "xlsx"):
        raise Http404
    data = personal_data_get(user=request.user)
    personal_data_provided(user=request.user)
    if fmt == "json":
        response = HttpResponse(
            exports.personal_data_json(data), content_type="application/json"
        )
    else:
        response = HttpResponse(
            exports.personal_data_xlsx(
                data, title=_("Dữ liệu cá nhân của %(name)s") % {"name": request.user}
            ),
            content_type=XLSX,
        )
    name = exports.personal_data_file_name(ext=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def my_data_correct(request):
    user = request.user
    refreshing = "refresh" in request.POST
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_for(user),
        site_look=request_look(request),
    )
    if request.method == "POST" and not refreshing and form.is_valid():
        personal_data_correct(
            user=user,
            full_name=form.cleaned_data["full_name"],
            birth_year=form.cleaned_data["birth_year"],
            unit=form.cleaned_data["unit"],
        )
        messages.success(request, _("Đã sửa dữ liệu của bạn."))
        return redirect("privacy_my_data")
    if refreshing:
        form.errors.clear()
    return render(request, "privacy/my_data_correct.html", {"form": form})


@login_required
def my_consent_withdraw(request):
    if request.method == "POST":
        consent_withdraw(user=request.user, session=request.session)
        messages.success(
            request,
            _(
                "Bạn đã rút lại sự đồng ý. Bạn chỉ học và làm bài kiểm tra được "
                "khi đồng ý lại."
            ),
        )
        return redirect("privacy_my_data")
    return render(request, "privacy/consent_withdraw.html")


@login_required
def my_erasure_request(request):
    if request.method == "POST":
        erasure_request(user=request.user)
        messages.success(
            request,
            _(
                "Đã gửi yêu cầu xóa dữ liệu. Quản trị viên xã, phường của bạn sẽ "
                "thực hiện trong vòng %(days)d ngày."
            )
            % {"days": ANSWER_DAYS[RequestKind.ERASE]},
        )
        return redirect("privacy_my_data")
    return render(
        request,
        "privacy/erasure_request.html",
        {"days": ANSWER_DAYS[RequestKind.ERASE]},
    )


# ----------------------------------------------------- the administrators


@unit_admin_required
def request_queue(request):
    return render(
        request,
        "privacy/request_queue.html",
        {"requests": data_requests_in_scope(scope=request.scope)[:500]},
    )


def _request_or_404(request, pk: int):
    found = data_request_in_scope_get(scope=request.scope, pk=pk)
    if found is None:
        raise Http404(_("Không tìm thấy yêu cầu trong phạm vi quản lý của bạn."))
    return found


@unit_admin_required
def request_detail(request, pk: int):
    return render(
        request,
        "privacy/request_detail.html",
        {"item": _request_or_404(request, pk)},
    )


@require_POST
@unit_admin_required
def request_erase(request, pk: int):
    item = _request_or_404(request, pk)
    try:
        erasure_carry_out(actor=request.user, scope=request.scope, request=item)
    except RequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã xóa dữ liệu của người học."))
    return redirect("privacy_request_detail", item.pk)


def _province_scope(scope: AdminScope) -> AdminScope:
    """The part of the scope held as a province administrator."""
    if scope.everything:
        return scope
    return AdminScope(paths=tuple(p for p in scope.paths if len(p) == Unit.steplen))


@unit_admin_required
def access_log(request):
    scope = _province_scope(request.scope)
    if not scope:
        raise PermissionDenied
    return render(
        request,
        "privacy/access_log.html",
        {"entries": access_log_in_scope(scope=scope)[:ACCESS_LOG_PAGE]},
    )
