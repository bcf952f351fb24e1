"""Certificates as Open Badges 3.0 verifiable credentials: the holder
downloads one; an independent verifier (jwcrypto, the published key set and
status list) accepts it, and rejects it once tampered with, signed by
another key, or revoked; key rotation keeps old downloads verifying."""

import base64
import hashlib
import hmac
import io
import json
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate, CredentialKey, RevocationCategory
from certificates.services import (
    certificate_reissue,
    certificate_revoke,
    certificates_holder_erase,
    credential_key_rotate,
)

from .credential_verifier import Rejected, credential_verified, jws_verified

pytestmark = pytest.mark.django_db

HOLDER = "Đặng Văn Lộc"


@pytest.fixture
def certificate(make_learner, complete_course):
    learner = make_learner(full_name=HOLDER, phone="+84905123456")
    complete_course(learner)
    return Certificate.objects.get()


def fetch(url: str) -> bytes:
    """What a verifier on the internet gets at a public address."""
    response = Client().get(urlsplit(url).path)
    if response.status_code != 200:
        raise Rejected(f"{url}: {response.status_code}")
    return response.content


def download(client, certificate) -> str:
    client.force_login(certificate.user)
    response = client.get(reverse("certificate_credential", args=[certificate.code]))
    assert response.status_code == 200
    return response.content.decode()


def verify_api(token) -> tuple[int, dict]:
    response = Client().post(
        reverse("credential_verify_api"), token, content_type="application/vc+jwt"
    )
    return response.status_code, response.json()


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def _token(header: dict, payload: dict, signature: str) -> str:
    return ".".join(
        [
            _b64(json.dumps(header).encode()),
            _b64(json.dumps(payload, ensure_ascii=False).encode()),
            signature,
        ]
    )


# ------------------------------------------------------------- acceptance


def test_the_holder_downloads_a_credential_an_independent_verifier_accepts(
    client, certificate
):
    client.force_login(certificate.user)
    page = client.get(reverse("my_certificates")).content.decode()
    link = reverse("certificate_credential", args=[certificate.code])
    assert f'href="{link}"' in page and "Tải chứng chỉ số (Open Badges)" in page

    response = client.get(link)
    assert response["Content-Type"] == "application/vc+jwt"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]  # personal: no shared copy
    token = response.content.decode()

    credential = credential_verified(token, fetch)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == HOLDER
    assert subject["achievement"]["name"] == certificate.title
    assert credential["issuer"]["name"] == "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"
    assert credential["id"].endswith(f"/xac-minh/{certificate.code}/")
    assert credential["iss"] == credential["issuer"]["id"]
    assert "0905123456" not in json.dumps(credential)  # no phone number

    # The kid is itself an address that answers the key (Open Badges 3.0).
    header, _payload, _sig = _parts(token)
    assert header["typ"] == "vc+jwt"
    assert json.loads(fetch(header["kid"]))["kid"] == header["kid"]

    status, body = verify_api(token)
    assert (status, body["valid"], body["verdict"]) == (200, True, "valid")
    assert body["credential"]["holder"] == HOLDER
    as_json = Client().post(
        reverse("credential_verify_api"),
        {"credential": token},
        content_type="application/json",
    )
    assert as_json.json()["verdict"] == "valid"


def test_a_tampered_credential_is_rejected(client, certificate):
    token = download(client, certificate)
    header, payload, signature = _parts(token)
    payload["credentialSubject"]["identifier"][0]["identityHash"] = "Nguyễn Văn Giả"
    forged = _token(header, payload, signature)
    # One character of the signature changed.
    flipped = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    for bad in (forged, flipped):
        with pytest.raises(Rejected, match="signature"):
            credential_verified(bad, fetch)
        status, body = verify_api(bad)
        assert status == 200 and body["valid"] is False
        assert body["verdict"] == "invalid"
        assert "Nguyễn Văn Giả" not in json.dumps(body, ensure_ascii=False)


def test_a_credential_signed_by_another_key_is_rejected(client, certificate):
    token = download(client, certificate)
    header, payload, _sig = _parts(token)
    other = ec.generate_private_key(ec.SECP256R1())
    forged = jwt.encode(payload, other, algorithm="ES256", headers=header)
    with pytest.raises(Rejected, match="signature"):
        credential_verified(forged, fetch)
    status, body = verify_api(forged)
    assert (status, body["valid"], body["verdict"]) == (200, False, "invalid")


def test_a_revoked_credential_is_rejected(client, certificate):
    token = download(client, certificate)
    certificate_revoke(
        certificate=certificate,
        category=RevocationCategory.RESULT_INVALID,
        reason="Gian lận",
    )
    with pytest.raises(Rejected, match="revoked"):
        credential_verified(token, fetch)
    status, body = verify_api(token)
    assert (status, body["valid"], body["verdict"]) == (200, False, "revoked")
    # and the holder cannot download a fresh one
    response = client.get(reverse("certificate_credential", args=[certificate.code]))
    assert response.status_code == 404


def test_a_replaced_credential_is_rejected_and_its_reissue_verifies(
    client, certificate, django_capture_on_commit_callbacks
):
    old = download(client, certificate)
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=certificate, holder_name="Đặng Văn Lộc Anh", reason="Sửa họ tên"
        )
    with pytest.raises(Rejected, match="revoked"):
        credential_verified(old, fetch)
    assert verify_api(old)[1]["verdict"] == "replaced"
    credential = credential_verified(download(client, new), fetch)
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == (
        "Đặng Văn Lộc Anh"
    )


def test_after_rotation_old_credentials_still_verify_until_a_withdrawal(
    client, certificate
):
    before = download(client, certificate)
    out = io.StringIO()
    call_command("credential_key_rotate", stdout=out)
    after = download(client, certificate)
    assert _parts(before)[0]["kid"] != _parts(after)[0]["kid"]
    assert len(json.loads(fetch("http://x/.well-known/jwks.json"))["keys"]) == 2
    for token in (before, after):
        credential_verified(token, fetch)
        assert verify_api(token)[1]["valid"] is True
    assert "Khóa ký mới" in out.getvalue()

    # A leaked key: withdrawn, its credentials fail; a new download verifies.
    credential_key_rotate(withdraw_previous=True)
    assert CredentialKey.objects.filter(withdrawn_at__isnull=True).count() == 1
    for token in (before, after):
        with pytest.raises(Rejected, match="not published"):
            credential_verified(token, fetch)
        assert verify_api(token)[1]["verdict"] == "invalid"
    credential_verified(download(client, certificate), fetch)


def test_an_erased_holders_credential_is_revoked_and_shows_no_name(client, certificate):
    token = download(client, certificate)
    certificates_holder_erase(user=certificate.user)
    with pytest.raises(Rejected, match="revoked"):
        credential_verified(token, fetch)
    status, body = verify_api(token)
    assert (status, body["verdict"]) == (200, "erased")
    assert HOLDER not in json.dumps(body, ensure_ascii=False)
    assert "credential" not in body
    page = Client().post(reverse("credential_verify_page"), {"text": token})
    assert HOLDER not in page.content.decode()
    assert "yêu cầu xóa dữ liệu cá nhân" in page.content.decode()
    response = client.get(reverse("certificate_credential", args=[certificate.code]))
    assert response.status_code == 404


def test_only_the_holder_or_their_admin_downloads(client, certificate, make_learner):
    url = reverse("certificate_credential", args=[certificate.code])
    assert Client().get(url).status_code == 404
    client.force_login(make_learner(full_name="Người Khác", phone="+84905999888"))
    assert client.get(url).status_code == 404


def test_the_status_list_is_a_signed_bitstring_status_list(certificate):
    token = fetch("http://x" + reverse("credential_status_list")).decode()
    listed = jws_verified(token, fetch)
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["id"] == listed["credentialSubject"]["id"].split("#")[0]
    response = Client().get(reverse("credential_status_list"))
    assert response["Content-Type"] == "application/vc+jwt"
    assert "max-age=60" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_page_says_valid_with_the_name_and_revoked_without_valid(
    client, certificate
):
    token = download(client, certificate)
    page = Client().post(reverse("credential_verify_page"), {"text": token})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-verdict="valid"' in body
    assert HOLDER in body and "Chứng chỉ số hợp lệ" in body
    upload = Client().post(
        reverse("credential_verify_page"),
        {"file": _upload(token.encode(), "chung-chi-so.jwt")},
    )
    assert 'data-verdict="valid"' in upload.content.decode()
    certificate_revoke(
        certificate=certificate, category=RevocationCategory.OTHER, reason="Sai"
    )
    body = Client().post(reverse("credential_verify_page"), {"text": token})
    assert 'data-verdict="revoked"' in body.content.decode()
    assert "Chứng chỉ số hợp lệ" not in body.content.decode()


# ---------------------------------------------------------- hostile input


def _signed(header: dict, payload: dict, key) -> str:
    """Signed as given, whatever the header says (PyJWT checks its own)."""
    signing_input = ".".join(
        [_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode())]
    )
    signature = jwt.get_algorithm_by_name("ES256").sign(signing_input.encode(), key)
    return signing_input + "." + _b64(signature)


def _hmac_with_public_key(token: str) -> str:
    """The classic confusion: HS256 keyed with the issuer's public key."""
    header, payload, _sig = _parts(token)
    secret = json.dumps(CredentialKey.objects.get().public_jwk).encode()
    header = {**header, "alg": "HS256"}
    signing_input = ".".join(
        [_b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode())]
    )
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(mac)


def test_hostile_input_to_the_endpoint_answers_400_in_vietnamese(client, certificate):
    token = download(client, certificate)
    header, payload, _sig = _parts(token)
    unsigned = _token({**header, "alg": "none"}, payload, "")
    raw_cases = [
        b"",
        b"garbage",
        b"a.b.c",
        b"\x00\x01\x02",
        b"\xff\xfe not utf-8",
        token.encode() + b"\x00",
        b"A" * 40_000 + b".b.c",
        unsigned.encode(),
        unsigned[:-1].encode() + b"x",
        _hmac_with_public_key(token).encode(),
        _token(["not", "an", "object"], payload, "c2ln").encode(),
    ]
    for body in raw_cases:
        response = Client().post(
            reverse("credential_verify_api"), body, content_type="text/plain"
        )
        assert response.status_code == 400, body[:40]
        data = response.json()
        assert data["valid"] is False and data["message"]
    json_cases = [
        "{",
        "[]",
        "null",
        "42",
        '{"credential": 42}',
        '{"credential": null}',
        '{"credential": ["a.b.c"]}',
        '{"credential": {"x": 1}}',
        '{"other": "x"}',
    ]
    for body in json_cases:
        response = Client().post(
            reverse("credential_verify_api"), body, content_type="application/json"
        )
        assert response.status_code == 400, body
        assert response.json()["valid"] is False
    messages = {
        Client()
        .post(reverse("credential_verify_api"), b, content_type="text/plain")
        .json()["message"]
        for b in (b"garbage", unsigned.encode(), _hmac_with_public_key(token).encode())
    }
    assert messages == {
        "Không đọc được chứng chỉ số: nội dung không đúng định dạng.",
        "Chứng chỉ số dùng thuật toán ký không được chấp nhận.",
    }


def test_an_unpublished_key_or_a_document_not_a_certificate_is_invalid(
    client, certificate
):
    token = download(client, certificate)
    header, payload, _sig = _parts(token)
    other = ec.generate_private_key(ec.SECP256R1())
    for kid in ("https://evil.example/key", header["kid"] + "x", "\x00"):
        forged = _signed({"alg": "ES256", "kid": kid}, payload, other)
        status, body = verify_api(forged)
        assert (status, body["verdict"]) == (200, "invalid"), kid
    for junk in ("%00", "x" * 500, "..%2F"):
        assert Client().get(f"/xac-minh/chung-chi-so/khoa/{junk}").status_code == 404
    for kid in (42, None):  # not a string: not a JWS at all
        assert (
            verify_api(_signed({"alg": "ES256", "kid": kid}, payload, other))[0] == 400
        )
    # Signed by the issuer, but not a certificate: the status list itself.
    status_list = fetch("http://x" + reverse("credential_status_list")).decode()
    status, body = verify_api(status_list)
    assert (status, body["verdict"]) == (200, "invalid")
    assert body["message"] == (
        "Chứng chỉ số không khớp với chứng nhận nào của đơn vị cấp."
    )


def test_hostile_input_to_the_page_answers_400_in_vietnamese(certificate):
    url = reverse("credential_verify_page")
    cases = [
        {"text": "abc\x00def"},
        {"text": "x" * 20_000},
        {"text": "garbage"},
        {"file": _upload(b"\xff\xfe\x00binary", "x.jwt")},
        {"file": _upload(b"A" * 40_000, "big.jwt")},
        {},
    ]
    for data in cases:
        response = Client().post(url, data)
        assert response.status_code == 400, data
        body = response.content.decode()
        assert 'class="error"' in body
        assert "data-verdict" not in body


def test_the_verification_is_rate_limited(settings, certificate):
    settings.CERTIFICATES_VERIFY_PER_MINUTE = 2
    statuses = [
        Client()
        .post(reverse("credential_verify_api"), "x", content_type="text/plain")
        .status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]
