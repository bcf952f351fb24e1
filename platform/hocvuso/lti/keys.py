"""The tool's RSA keys: made, stored encrypted, published, rotated.

RS256 because LTI 1.3 (IMS Security Framework) requires it of every tool and
platform. The private half is kept as PKCS#8 PEM encrypted with
LTI_KEY_PASSPHRASE, as the certificates' keys are, so a database dump alone
signs nothing."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pylti1p3.registration import Registration

from .models import ToolKey

KEY_SIZE = 2048


def _passphrase() -> bytes:
    return settings.LTI_KEY_PASSPHRASE.encode()


def _public_jwk(private_key: rsa.RSAPrivateKey) -> dict:
    public_pem = (
        private_key.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )
    # pylti1p3 names the key by its RFC 7638 thumbprint and sends that kid
    # with each signature: the published set must use the same.
    return dict(Registration.get_jwk(public_pem))


def private_key_pem(key: ToolKey) -> str:
    private_key = serialization.load_pem_private_key(
        key.private_key_encrypted.encode(), password=_passphrase()
    )
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_key_pem(key: ToolKey) -> str:
    private_key = serialization.load_pem_private_key(
        key.private_key_encrypted.encode(), password=_passphrase()
    )
    return (
        private_key.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )


def _key_new(*, active: bool) -> ToolKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    jwk = _public_jwk(private_key)
    encrypted = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    ).decode()
    return ToolKey.objects.create(
        kid=jwk["kid"],
        private_key_encrypted=encrypted,
        public_jwk=jwk,
        active=active,
        created_at=timezone.now(),
    )


def tool_key_current() -> ToolKey:
    """The signing key, made on first use (two first uses at once: the
    database keeps one, the other reads it)."""
    key = ToolKey.objects.filter(active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _key_new(active=True)
    except IntegrityError:
        return ToolKey.objects.get(active=True)


def tool_key_rotate() -> ToolKey:
    """A new signing key; the previous one stays published (retired)."""
    with transaction.atomic():
        ToolKey.objects.filter(active=True).update(
            active=False, retired_at=timezone.now()
        )
        return _key_new(active=True)


def tool_keys_retired_remove(*, keep_kid: str | None = None) -> int:
    """Retired keys out of the published set (after every platform has
    fetched the new set; docs/lti.md)."""
    deleted, _ = ToolKey.objects.filter(active=False).exclude(kid=keep_kid).delete()
    return deleted


def tool_jwks() -> dict:
    tool_key_current()
    keys = ToolKey.objects.order_by("-active", "-created_at")
    return {"keys": [{**key.public_jwk, "use": "sig"} for key in keys]}
