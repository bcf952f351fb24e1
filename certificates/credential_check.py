"""Checking a credential someone presents (the public endpoint and page):
the signature against a key the site publishes, then the certificate's
status, which is what the status list says. Anything else is refused with a
Vietnamese message; nothing here may raise on hostile input."""

import re
from dataclasses import dataclass, field

import jwt
from django.utils.translation import gettext as _

from .credentials import ALGORITHM, absolute, issuer_id, status_list_url
from .models import Certificate, CertificateStatus
from .selectors import credential_key_by_url

# A credential is about 2 KB; a key set is not accepted in its header.
MAX_CHARS = 16_000
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_INDEX = re.compile(r"[0-9]{1,18}")


class CredentialRefused(Exception):
    """Not a credential at all (HTTP 400); the message is Vietnamese."""


@dataclass(frozen=True)
class CredentialCheck:
    verdict: str  # "valid", "revoked", "replaced", "erased" or "invalid"
    message: str
    # What the signed credential says, only once its signature is checked,
    # and never for a holder who had their personal data deleted.
    summary: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"


def token_clean(value) -> str:
    if not isinstance(value, str):
        raise CredentialRefused(_("Hãy gửi chứng chỉ số dưới dạng văn bản."))
    if len(value) > MAX_CHARS:
        raise CredentialRefused(_("Nội dung quá dài, đây không phải chứng chỉ số."))
    token = "".join(value.split())
    if not token:
        raise CredentialRefused(_("Hãy dán hoặc tải lên chứng chỉ số."))
    if not _COMPACT_JWS.fullmatch(token):
        raise CredentialRefused(
            _("Không đọc được chứng chỉ số: nội dung không đúng định dạng.")
        )
    return token


def _invalid(message: str) -> CredentialCheck:
    return CredentialCheck(verdict="invalid", message=message)


def _certificate_named(claims: dict) -> Certificate | None:
    """The certificate the credential is about, if it is one of ours."""
    types = claims.get("type")
    status = claims.get("credentialStatus")
    if not (isinstance(types, list) and "OpenBadgeCredential" in types):
        return None
    if not isinstance(status, dict):
        return None
    index = status.get("statusListIndex")
    if status.get("statusListCredential") != status_list_url():
        return None
    if not (isinstance(index, str) and _INDEX.fullmatch(index)):
        return None
    certificate = Certificate.objects.filter(pk=int(index)).first()
    if certificate is None or claims.get("id") != absolute(
        "certificate_verify", certificate.code
    ):
        return None
    return certificate


def _summary(claims: dict) -> dict:
    subject = claims.get("credentialSubject") or {}
    names = [
        i.get("identityHash")
        for i in subject.get("identifier") or []
        if isinstance(i, dict) and i.get("identityType") == "name"
    ]
    return {
        "title": claims.get("name", ""),
        "holder": names[0] if names else "",
        "issuer": (claims.get("issuer") or {}).get("name", ""),
        "valid_from": claims.get("validFrom", ""),
    }


def credential_check(value) -> CredentialCheck:
    token = token_clean(value)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise CredentialRefused(
            _("Không đọc được chứng chỉ số: nội dung không đúng định dạng.")
        ) from error
    # Only the algorithm we sign with: "none", or HS256 keyed with the public
    # key, must never verify.
    if header.get("alg") != ALGORITHM:
        raise CredentialRefused(
            _("Chứng chỉ số dùng thuật toán ký không được chấp nhận.")
        )
    kid = header.get("kid")
    key = credential_key_by_url(kid) if isinstance(kid, str) else None
    if key is None:
        return _invalid(
            _("Chứng chỉ số không được ký bằng khóa nào mà đơn vị cấp đang công bố.")
        )
    try:
        claims = jwt.decode(
            token,
            key=jwt.PyJWK(key.public_jwk, algorithm=ALGORITHM).key,
            algorithms=[ALGORITHM],
            issuer=issuer_id(),
            options={"require": ["iss", "jti", "nbf"]},
        )
    except jwt.InvalidSignatureError:
        return _invalid(_("Chữ ký không khớp: nội dung chứng chỉ số đã bị sửa đổi."))
    except jwt.InvalidTokenError:
        return _invalid(_("Chứng chỉ số không hợp lệ."))
    certificate = _certificate_named(claims)
    if certificate is None:
        return _invalid(_("Chứng chỉ số không khớp với chứng nhận nào của đơn vị cấp."))
    if certificate.status == CertificateStatus.ERASED:
        return CredentialCheck(
            verdict="erased",
            message=_(
                "Chứng chỉ số không còn giá trị: người được cấp đã yêu cầu xóa dữ liệu cá nhân."
            ),
        )
    messages = {
        CertificateStatus.VALID: _(
            "Chứng chỉ số hợp lệ: chữ ký đúng và chưa bị thu hồi."
        ),
        CertificateStatus.REVOKED: _("Chứng chỉ số đã bị thu hồi, không còn giá trị."),
        CertificateStatus.REPLACED: _(
            "Chứng chỉ số đã được thay thế bằng một chứng nhận khác, không còn giá trị."
        ),
    }
    return CredentialCheck(
        verdict=certificate.status,
        message=messages[certificate.status],
        summary=_summary(claims),
    )
