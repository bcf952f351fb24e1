"""Certificates as Open Badges 3.0 credentials (W3C Verifiable Credentials
Data Model 2.0), secured as a compact JWS (VC-JOSE-COSE; Open Badges 3.0's
JWT proof format): what a credential and the status list say, and the keys
that sign them. docs/verifiable-credentials.md explains the choices."""

import secrets
import uuid
from datetime import UTC, datetime
from functools import lru_cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from jwt.algorithms import ECAlgorithm

from . import status_list
from .models import Certificate, CredentialKey

ALGORITHM = "ES256"
# The JOSE "typ" of a credential secured with JOSE (VC-JOSE-COSE §3.1.1).
MEDIA_TYPE = "vc+jwt"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_PURPOSE = "revocation"


def absolute(name: str, *args) -> str:
    """A public address: credentials name their issuer, key and status list
    by the site's address, as the QR code does."""
    return settings.CERTIFICATES_SITE_URL.rstrip("/") + reverse(name, args=args)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id() -> str:
    return absolute("credential_issuer")


def status_list_url() -> str:
    return absolute("credential_status_list")


def key_url(key: CredentialKey) -> str:
    """The JOSE "kid": an address that answers the public key (Open Badges
    3.0 §8.2.2), and the key's id in the key set."""
    return absolute("credential_key", key.key_id)


def issuer_profile(*, name: str) -> dict:
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": name,
        "url": settings.CERTIFICATES_SITE_URL.rstrip("/") + "/",
    }


def _achievement_id(certificate: Certificate) -> str:
    # A course's address changes with its slug; its id in this site does not.
    kind, pk = (
        ("course", certificate.course_id)
        if certificate.course_id
        else ("programme", certificate.programme_id)
    )
    return "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{issuer_id()}#{kind}-{pk}")
    )


def credential_build(certificate: Certificate, *, texts: dict[str, str]) -> dict:
    """The OpenBadgeCredential for a certificate. Its statusListIndex is the
    certificate's id, already public in its serial number. `texts` are the
    achievement's Vietnamese description and criteria (services.py)."""
    index = str(certificate.pk)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": absolute("certificate_verify", certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(name=certificate.issuer_name),
        "validFrom": _iso(certificate.issued_at),
        "name": certificate.title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "activityEndDate": _iso(certificate.completed_at),
            "achievement": {
                "id": _achievement_id(certificate),
                "type": ["Achievement"],
                "achievementType": "CertificateOfCompletion",
                "name": certificate.title,
                "description": texts["description"],
                "criteria": {"narrative": texts["criteria"]},
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": STATUS_PURPOSE,
            "statusListIndex": index,
            "statusListCredential": status_list_url(),
        },
    }


def status_list_build(*, revoked: list[int], issuer_name: str, now: datetime) -> dict:
    """The BitstringStatusListCredential: one list for every certificate of
    the site, at one stable address."""
    bits = status_list.list_bits(max(revoked, default=0))
    return {
        "@context": [VC_CONTEXT],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(name=issuer_name),
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": status_list.encoded_list(revoked, bits=bits),
        },
    }


def sign(credential: dict, *, key: CredentialKey, not_before: datetime) -> str:
    """The compact JWS: the credential is the payload (VC-JOSE-COSE), with
    the registered claims Open Badges 3.0 asks of its JWT format."""
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(not_before.timestamp()),
    }
    return jwt.encode(
        claims,
        private_key_load(key.private_key_encrypted, passphrase()),
        algorithm=ALGORITHM,
        headers={"kid": key_url(key), "typ": MEDIA_TYPE},
    )


# ---------------------------------------------------------------- the keys


def passphrase() -> str:
    return settings.CERTIFICATES_KEY_PASSPHRASE


def key_material_new() -> tuple[str, dict, str]:
    """(key id, public JWK, encrypted PKCS#8 PEM) of a new P-256 key."""
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase().encode()),
    )
    key_id = f"{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"
    public = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return key_id, public, pem.decode("ascii")


@lru_cache(maxsize=8)
def private_key_load(pem: str, passphrase: str) -> ec.EllipticCurvePrivateKey:
    """Decrypting costs a key derivation: once per process and key."""
    return serialization.load_pem_private_key(pem.encode("ascii"), passphrase.encode())


def public_jwk(key: CredentialKey) -> dict:
    return {
        **key.public_jwk,
        "kid": key_url(key),
        "alg": ALGORITHM,
        "use": "sig",
    }
