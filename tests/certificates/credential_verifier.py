"""An outside verifier of the platform's credentials, written against the
standards and not the platform's code: jwcrypto (not PyJWT, which signs)
checks the signatures against the key set the issuer publishes, and the
status list's bit is read with the standard library."""

import base64
import gzip
import json
from collections.abc import Callable
from urllib.parse import urlsplit

from jwcrypto import jwk, jws
from jwcrypto.common import JWException


class Rejected(Exception):
    pass


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jws_verified(token: str, fetch: Callable[[str], bytes]) -> dict:
    """The payload of a compact JWS signed (ES256) by a key of the key set at
    /.well-known/jwks.json of the origin its "kid" names."""
    try:
        header = json.loads(_b64(token.split(".")[0]))
    except (ValueError, IndexError) as error:
        raise Rejected("unreadable header") from error
    if header.get("alg") != "ES256":
        raise Rejected(f"algorithm {header.get('alg')!r}")
    kid = header.get("kid", "")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(kid))
    keys = jwk.JWKSet.from_json(fetch(origin + "/.well-known/jwks.json"))
    key = keys.get_key(kid)
    if key is None:
        raise Rejected("key not published")
    signed = jws.JWS()
    try:
        signed.deserialize(token)
        signed.verify(key, alg="ES256")
    except JWException as error:
        raise Rejected("signature") from error
    return json.loads(signed.payload)


def status_bit(credential: dict, fetch: Callable[[str], bytes]) -> bool:
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    listed = jws_verified(fetch(status["statusListCredential"]).decode(), fetch)
    assert "BitstringStatusListCredential" in listed["type"]
    subject = listed["credentialSubject"]
    assert subject["statusPurpose"] == status["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    bits = gzip.decompress(_b64(encoded[1:]))
    assert len(bits) * 8 >= 131_072  # the specification's minimum
    index = int(status["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def credential_verified(token: str, fetch: Callable[[str], bytes]) -> dict:
    """The credential, if its signature holds and it is not revoked."""
    credential = jws_verified(token, fetch)
    if "OpenBadgeCredential" not in credential.get("type", []):
        raise Rejected("not an Open Badge")
    if status_bit(credential, fetch):
        raise Rejected("revoked")
    return credential
