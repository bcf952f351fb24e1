"""A small OpenID Connect provider for the tests, served for real on
127.0.0.1 (a free port, in a thread): discovery, JWKS, an authorisation page
with "Cho phép" and "Từ chối", the token endpoint (authorisation code with
PKCE S256, client secret by POST) and userinfo. Its RS256 key is made when
it starts.

A test says who signs in (`person`: the claims) and can spoil the next ID
token (`spoil`): "expired", "tampered" (payload changed after signing),
"other_key" (signed with a key the provider does not publish), "audience"
(for another client), "nonce" (not the one sent), "subject" (userinfo about
someone else), "none_alg" (unsigned) or "hs256" (signed with the public key
as an HMAC secret)."""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from html import escape
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "khoa-thu-1"


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    claims: dict


@dataclass
class LocalProvider:
    client_id: str = "hocvuso-thu"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    person: dict = field(default_factory=dict)
    spoil: str = ""
    key: object = field(default_factory=_new_key)
    issuer: str = ""
    grants: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    token_requests: int = 0

    # ------------------------------------------------------------ lifecycle

    def start(self) -> "LocalProvider":
        self._server = make_server(
            "127.0.0.1", 0, self, server_class=_Server, handler_class=_Quiet
        )
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------- the WSGI app

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
        else:
            form = {}
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
        }
        handler = routes.get(path)
        if handler is None:
            status, headers, content = "404 Not Found", [], b""
        else:
            status, headers, content = handler(environ, query, form)
        start_response(status, headers + [("Content-Length", str(len(content)))])
        return [content]

    @staticmethod
    def _json(data, status="200 OK"):
        return status, [("Content-Type", "application/json")], json.dumps(data).encode()

    def _discovery(self, environ, query, form):
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def public_jwk(self, key=None) -> dict:
        numbers = (key or self.key).public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": KID,
            "n": _b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
            "e": _b64url(numbers.e.to_bytes(3, "big")),
        }

    def _jwks(self, environ, query, form):
        return self._json({"keys": [self.public_jwk()]})

    def _authorize(self, environ, query, form):
        if environ["REQUEST_METHOD"] == "GET":
            if query.get("client_id") != self.client_id:
                return "400 Bad Request", [], b"unknown client"
            hidden = "".join(
                f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                for k, v in query.items()
            )
            page = (
                '<!doctype html><html lang="vi"><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width">'
                "<title>Định danh thử</title><h1>Định danh thử</h1>"
                f"<p>{escape(self.person.get('name', ''))} đăng nhập vào nền tảng?</p>"
                f'<form method="post">{hidden}'
                '<button name="decision" value="allow">Cho phép</button> '
                '<button name="decision" value="deny">Từ chối</button></form>'
            )
            return (
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8")],
                page.encode(),
            )
        return self.decide(form, allow=form.get("decision") == "allow")

    def decide(self, params: dict, *, allow: bool):
        """The person's answer on the authorisation page: a redirect back."""
        back = params["redirect_uri"]
        if not allow:
            answer = {"error": "access_denied", "state": params.get("state", "")}
            return "302 Found", [("Location", f"{back}?{urlencode(answer)}")], b""
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            client_id=params["client_id"],
            redirect_uri=back,
            nonce=params.get("nonce", ""),
            code_challenge=params.get("code_challenge", ""),
            claims=dict(self.person),
        )
        answer = {"code": code, "state": params.get("state", "")}
        return "302 Found", [("Location", f"{back}?{urlencode(answer)}")], b""

    def _token(self, environ, query, form):
        self.token_requests += 1
        grant = self.grants.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        verifier = form.get("code_verifier", "")
        challenge = _b64url(hashlib.sha256(verifier.encode()).digest())
        if not grant.code_challenge or challenge != grant.code_challenge:
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = grant
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            }
        )

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.claims["sub"],
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
            **grant.claims,
        }
        spoil = self.spoil
        if spoil == "expired":
            claims.update(iat=now - 3600, exp=now - 600)
        elif spoil == "audience":
            claims["aud"] = "mot-trang-khac"
        elif spoil == "nonce":
            claims["nonce"] = "khong-phai-nonce-da-gui"
        signing_key = _new_key() if spoil == "other_key" else self.key
        if spoil == "none_alg":
            return jwt.encode(claims, None, algorithm="none", headers={"kid": KID})
        if spoil == "hs256":
            public_pem = self.key.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            return _hs256(claims, public_pem)
        token = jwt.encode(claims, signing_key, algorithm="RS256", headers={"kid": KID})
        if spoil == "tampered":
            header, _payload, signature = token.split(".")
            changed = {**claims, "phone_number": "+84909999999"}
            payload = _b64url(json.dumps(changed).encode())
            token = f"{header}.{payload}.{signature}"
        return token

    def _userinfo(self, environ, query, form):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        grant = self.tokens.get(auth.removeprefix("Bearer "))
        if grant is None:
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        claims = dict(grant.claims)
        if self.spoil == "subject":
            claims["sub"] = "nguoi-khac"
        return self._json(claims)


def _hs256(claims: dict, secret: bytes) -> str:
    """HS256 by hand: PyJWT refuses a PEM key as an HMAC secret, which is
    exactly the confusion this token tries."""
    import hmac

    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"
