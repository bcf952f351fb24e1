from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from courses.access import learner_required
from courses.translation import language_name

from .forms import VerifyForm
from .models import Certificate
from .ratelimit import client_ip, hit_allowed
from .selectors import (
    certificate_by_code,
    certificate_download_get,
    my_certificates_list,
)
from .services import certificate_picture_get, verify_url


def _too_many(request):
    return render(request, "429.html", status=429)


def _allowed(request) -> bool:
    return hit_allowed(
        key=f"verify:{client_ip(request)}",
        limit=settings.CERTIFICATES_VERIFY_PER_MINUTE,
    )


@learner_required
def my_certificates(request):
    certificates = my_certificates_list(user=request.user)
    return render(
        request,
        "certificates/my_certificates.html",
        {"items": [(c, verify_url(c)) for c in certificates]},
    )


@never_cache
def certificate_pdf(request, code: str):
    """Only the holder, or an administrator of the holder's unit; anyone
    else gets 404, as for a code that does not exist."""
    certificate = certificate_download_get(user=request.user, code=code)
    if certificate is None or not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"chung-nhan-{certificate.serial}.pdf",
        content_type="application/pdf",
    )


@require_GET
def certificate_png(request, code: str):
    """The preview picture shared on Zalo or Facebook: it shows no more than
    the public verification page does, and a revoked or replaced
    certificate's is marked so."""
    if not _allowed(request):
        return _too_many(request)
    certificate = certificate_by_code(code=code)
    if certificate is None:
        raise Http404
    png = certificate_picture_get(
        certificate=Certificate.objects.get(pk=certificate.pk)
    )
    if not png:
        raise Http404
    return FileResponse(png.open("rb"), content_type="image/png")


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound:
        if not _allowed(request):
            return _too_many(request)
        if form.is_valid():
            return redirect("certificate_verify", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form})


@require_GET
def verify(request, code: str):
    if not _allowed(request):
        return _too_many(request)
    certificate = certificate_by_code(code=code)
    context = {
        "certificate": certificate,
        "form": VerifyForm(),
        "png_url": reverse("certificate_png", args=[code]) if certificate else "",
        "language_name": language_name(certificate.language) if certificate else "",
    }
    return render(
        request,
        "certificates/verify.html",
        context,
        status=200 if certificate else 404,
    )
