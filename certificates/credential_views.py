"""Verifiable credentials over HTTP: the holder's download, the public key
set, each key, the issuer's profile, the status list, and the checks (a
JSON endpoint for machines, a page for people)."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import credentials
from .credential_check import MAX_CHARS, CredentialRefused, credential_check
from .forms import CredentialCheckForm
from .models import CertificateStatus
from .ratelimit import client_ip, hit_allowed
from .selectors import certificate_download_get, credential_keys_published
from .services import branding_get, certificate_credential, status_list_credential

JWT_CONTENT_TYPE = "application/vc+jwt"
# Keys and the profile change with a rotation; the status list with every
# revocation: a verifier sees a revocation within a minute.
KEYS_MAX_AGE = 300
STATUS_LIST_MAX_AGE = 60


def _allowed(request) -> bool:
    return hit_allowed(
        key=f"verify:{client_ip(request)}",
        limit=settings.CERTIFICATES_VERIFY_PER_MINUTE,
    )


def _published(response, *, max_age: int):
    """Public documents any verifier, in any browser, may fetch."""
    patch_cache_control(response, public=True, max_age=max_age)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
def certificate_credential_download(request, code: str):
    """The holder's (or their administrator's) valid certificate only."""
    certificate = certificate_download_get(user=request.user, code=code)
    if certificate is None or certificate.status != CertificateStatus.VALID:
        raise Http404
    response = HttpResponse(
        certificate_credential(certificate=certificate), content_type=JWT_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="chung-chi-so-{certificate.serial}.jwt"'
    )
    return response


@require_GET
def credential_jwks(request):
    keys = [credentials.public_jwk(key) for key in credential_keys_published()]
    return _published(JsonResponse({"keys": keys}), max_age=KEYS_MAX_AGE)


@require_GET
def credential_key(request, key_id: str):
    for key in credential_keys_published():
        if key.key_id == key_id:
            return _published(
                JsonResponse(credentials.public_jwk(key)), max_age=KEYS_MAX_AGE
            )
    raise Http404


@require_GET
def credential_issuer(request):
    profile = {
        "@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT],
        **credentials.issuer_profile(name=branding_get().issuer_name),
    }
    return _published(JsonResponse(profile), max_age=KEYS_MAX_AGE)


@require_GET
def credential_status_list(request):
    response = HttpResponse(status_list_credential(), content_type=JWT_CONTENT_TYPE)
    return _published(response, max_age=STATUS_LIST_MAX_AGE)


def _json_refused(message: str, status: int = 400):
    return JsonResponse(
        {"valid": False, "verdict": "refused", "message": message}, status=status
    )


def _posted_credential(request):
    """The credential in the body: raw, or {"credential": "…"} as JSON."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise CredentialRefused(_("Nội dung JSON không đọc được.")) from error
        if not isinstance(data, dict) or "credential" not in data:
            raise CredentialRefused(
                _('Hãy gửi JSON dạng {"credential": "<chứng chỉ số>"}.')
            )
        return data["credential"]
    try:
        return request.body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CredentialRefused(
            _("Không đọc được chứng chỉ số: nội dung không đúng định dạng.")
        ) from error


@csrf_exempt  # a machine's request, with no session: nothing to forge
@require_POST
@never_cache
def credential_verify_api(request):
    if not _allowed(request):
        return _json_refused(
            _("Bạn đã kiểm tra quá nhiều lần, hãy thử lại sau một phút."), 429
        )
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > 2 * MAX_CHARS:
        return _json_refused(_("Nội dung quá dài, đây không phải chứng chỉ số."))
    try:
        check = credential_check(_posted_credential(request))
    except CredentialRefused as refusal:
        return _json_refused(str(refusal))
    body = {"valid": check.valid, "verdict": check.verdict, "message": check.message}
    if check.summary:
        body["credential"] = check.summary
    return JsonResponse(body)


@require_http_methods(["GET", "POST"])
def credential_verify_page(request):
    check = None
    form = CredentialCheckForm()
    if request.method == "POST":
        form = CredentialCheckForm(request.POST, request.FILES)
        if not _allowed(request):
            return render(request, "429.html", status=429)
        if form.is_valid():
            try:
                check = credential_check(form.cleaned_data["credential"])
            except CredentialRefused as refusal:
                form.add_error(None, str(refusal))
    return render(
        request,
        "certificates/credential_verify.html",
        {"form": form, "check": check},
        status=400 if form.errors else 200,
    )
