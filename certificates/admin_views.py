"""CMS screens (/cms/chung-nhan/): administrators see and act on the
certificates of learners in their own subtree only; regenerating every PDF
is for superusers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ReissueForm, RevokeForm
from .models import RegenerationJob
from .selectors import certificates_for_admin
from .services import (
    CertificateError,
    certificate_reissue,
    certificate_revoke,
    regeneration_start,
    verify_url,
)


def certificate_list(request):
    certificates = certificates_for_admin(user=request.user).select_related(
        "replaced_by"
    )
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(
            Q(holder_name__icontains=query) | Q(serial__iexact=query)
        )
    page = Paginator(certificates.order_by("-issued_at"), 50).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "certificates/admin/list.html",
        {
            "page": page,
            "query": query,
            "jobs": RegenerationJob.objects.order_by("-created_at")[:1]
            if request.user.is_superuser
            else [],
        },
    )


def _in_scope(request, pk: int):
    return get_object_or_404(certificates_for_admin(user=request.user), pk=pk)


def certificate_detail(request, pk: int):
    certificate = _in_scope(request, pk)
    revoke_form, reissue_form = (
        RevokeForm(),
        ReissueForm(initial={"holder_name": certificate.holder_name}),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        form = (RevokeForm if action == "revoke" else ReissueForm)(request.POST)
        if form.is_valid():
            try:
                if action == "revoke":
                    certificate_revoke(certificate=certificate, **form.cleaned_data)
                    messages.success(request, _("Đã thu hồi chứng nhận."))
                    return redirect("certificates_admin_detail", pk=certificate.pk)
                new = certificate_reissue(certificate=certificate, **form.cleaned_data)
                messages.success(
                    request, _("Đã cấp lại: số hiệu %(s)s.") % {"s": new.serial}
                )
                return redirect("certificates_admin_detail", pk=new.pk)
            except CertificateError as refusal:
                messages.error(request, str(refusal))
        elif action == "revoke":
            revoke_form = form
        else:
            reissue_form = form
    return TemplateResponse(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "verify_url": verify_url(certificate),
            "revoke_form": revoke_form,
            "reissue_form": reissue_form,
        },
    )


@require_POST
def regenerate_start(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    job = regeneration_start(user=request.user)
    messages.info(request, _("Đang tạo lại tất cả tệp PDF và ảnh chứng nhận."))
    return redirect("certificates_admin_regenerate", pk=job.pk)


def regenerate_progress(request, pk: int):
    if not request.user.is_superuser:
        raise PermissionDenied
    job = get_object_or_404(RegenerationJob, pk=pk)
    template = (
        "certificates/admin/_regenerate_progress.html"
        if request.htmx
        else "certificates/admin/regenerate.html"
    )
    return TemplateResponse(request, template, {"job": job})
