"""A local LTI 1.3 platform for the tests (a school's Moodle, reduced to
what a tool meets), served for real on 127.0.0.1 (a free port, in a thread):

- its JWKS (`/jwks`), with an RS256 key made when it starts;
- the OIDC authorisation endpoint (`/auth`): answers the tool's login
  redirect with a page that posts the id_token and state to the tool's
  launch URL (a script submits it, as Moodle's page does);
- the token endpoint (`/token`): the client credentials grant with the
  tool's signed JWT assertion, checked against the tool's published JWKS;
- an Assignment and Grade Services line item (`/lineitems/1`) whose
  `/scores` records each score posted with a valid token;
- the deep-linking return URL (`/deep-link-return`), which checks and
  records the tool's signed answer;
- a class page (`/lop`) showing the tool in an iframe, whose login
  initiation (`/khoi-dong`) posts to `tool_login_url`.

A test says what the next launch is (`message`: "resource" or "deep_link",
the person, the custom parameters, grades or not) and can spoil the next
id_token (`spoil`): "expired", "tampered", "other_key", "audience",
"issuer", "deployment", "nonce", "no_sub", "no_version", "none_alg",
"hs256", "no_custom". `down` makes the token and score endpoints answer
503 (an outage)."""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from html import escape
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "nen-tang-khoa-1"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


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
class Launch:
    """What the authorisation endpoint answered: the tool's launch URL,
    the id_token and state it posts there."""

    redirect_uri: str
    id_token: str
    state: str

    @property
    def form(self) -> dict:
        return {"id_token": self.id_token, "state": self.state}


@dataclass
class LtiPlatformStandIn:
    client_id: str = "hocvuso-cong-cu"
    deployment_id: str = "trien-khai-1"
    message: str = "resource"
    person: dict = field(
        default_factory=lambda: {"sub": "hs-1001", "name": "Nguyễn Thị Lan"}
    )
    custom: dict = field(default_factory=dict)
    grades: bool = True
    spoil: str = ""
    down: bool = False
    # The tool's public keys: fetched from this URL, or given directly.
    tool_jwks_url: str = ""
    # Where the class page (`/lop`) starts a launch: the tool's login URL.
    tool_login_url: str = ""
    tool_jwks: dict | None = None
    key: object = field(default_factory=_new_key)
    issuer: str = ""
    launches: list[Launch] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    scores: list[dict] = field(default_factory=list)
    deep_link_answers: list[dict] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    tokens: set = field(default_factory=set)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> "LtiPlatformStandIn":
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

    @property
    def lineitem_url(self) -> str:
        return f"{self.issuer}/lineitems/1"

    def registration(self) -> dict:
        """The fields an administrator copies into the CMS."""
        return {
            "name": "Moodle thử",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": self.deployment_id,
            "auth_login_url": f"{self.issuer}/auth",
            "auth_token_url": f"{self.issuer}/token",
            "key_set_url": f"{self.issuer}/jwks",
        }

    def login_params(self, **extra) -> dict:
        """What the LMS sends to the tool's login initiation URL."""
        return {
            "iss": self.issuer,
            "login_hint": self.person.get("sub", "x"),
            "target_link_uri": "",
            "lti_message_hint": "lien-ket-1",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
            **extra,
        }

    # ------------------------------------------------------------- the WSGI app

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        routes = {
            "/jwks": self._jwks,
            "/auth": self._auth,
            "/token": self._token,
            "/lineitems/1/scores": self._score,
            "/deep-link-return": self._deep_link_return,
            "/lop": self._class_page,
            "/khoi-dong": self._start_launch,
        }
        handler = routes.get(path)
        if handler is None:
            status, headers, content = "404 Not Found", [], b""
        else:
            status, headers, content = handler(environ, query, body)
        start_response(status, headers + [("Content-Length", str(len(content)))])
        return [content]

    @staticmethod
    def _json(data, status="200 OK"):
        return status, [("Content-Type", "application/json")], json.dumps(data).encode()

    @staticmethod
    def _html(page: str, status="200 OK"):
        return status, [("Content-Type", "text/html; charset=utf-8")], page.encode()

    def public_jwk(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": KID,
            "n": _b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
            "e": _b64url(numbers.e.to_bytes(3, "big")),
        }

    def _jwks(self, environ, query, body):
        return self._json({"keys": [self.public_jwk()]})

    # --------------------------------------------------------------- launch

    def _class_page(self, environ, query, body):
        """The LMS's activity page: the tool in an iframe, as Moodle shows
        an activity whose launch container is "embed"."""
        return self._html(
            '<!doctype html><html lang="vi"><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            "<title>Lớp 10A · Moodle thử</title><h1>Lớp 10A</h1>"
            '<iframe name="cong-cu" title="Công cụ" src="/khoi-dong" '
            'width="340" height="600"></iframe>'
        )

    def _start_launch(self, environ, query, body):
        """Third-party initiated login: posted to the tool by a script."""
        fields = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in self.login_params().items()
        )
        return self._html(
            '<!doctype html><html lang="vi"><meta charset="utf-8">'
            f'<form id="dang-nhap" method="post" action="{escape(self.tool_login_url)}">'
            f"{fields}<button>Mở công cụ</button></form>"
            "<script>document.getElementById('dang-nhap').submit()</script>"
        )

    def authorize(self, query: dict) -> Launch:
        """The OIDC authorisation request (the tool's redirect): the id_token
        for `message`, bound to the tool's nonce."""
        if query.get("client_id") != self.client_id:
            raise ValueError("unknown client")
        for name, value in (
            ("scope", "openid"),
            ("response_type", "id_token"),
            ("response_mode", "form_post"),
            ("prompt", "none"),
        ):
            if query.get(name) != value:
                raise ValueError(f"bad {name}")
        launch = Launch(
            redirect_uri=query["redirect_uri"],
            id_token=self.id_token(
                nonce=query["nonce"], tool_url=query["redirect_uri"]
            ),
            state=query["state"],
        )
        self.launches.append(launch)
        return launch

    def _auth(self, environ, query, body):
        try:
            launch = self.authorize(query)
        except (KeyError, ValueError) as error:
            return self._html(f"<p>{escape(str(error))}</p>", "400 Bad Request")
        page = (
            '<!doctype html><html lang="vi"><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width">'
            "<title>Moodle thử</title>"
            f'<form id="lti" method="post" action="{escape(launch.redirect_uri)}">'
            f'<input type="hidden" name="id_token" value="{escape(launch.id_token)}">'
            f'<input type="hidden" name="state" value="{escape(launch.state)}">'
            "<button>Tiếp tục</button></form>"
            "<script>document.getElementById('lti').submit()</script>"
        )
        return self._html(page)

    def claims(self, *, nonce: str, tool_url: str) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "azp": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.person,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "roles": [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
            ],
            LTI + "context": {"id": "lop-10a", "title": "Lớp 10A"},
        }
        if self.message == "deep_link":
            claims[LTI + "message_type"] = "LtiDeepLinkingRequest"
            claims[LTI + "roles"] = [
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
            ]
            claims[
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
            ] = {
                "deep_link_return_url": f"{self.issuer}/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "du-lieu-cua-nen-tang",
            }
        else:
            claims[LTI + "message_type"] = "LtiResourceLinkRequest"
            claims[LTI + "resource_link"] = {"id": "hoat-dong-1"}
            claims[LTI + "target_link_uri"] = tool_url
            if self.spoil != "no_custom":
                claims[LTI + "custom"] = dict(self.custom)
        if self.grades:
            claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
                "scope": [LINEITEM_SCOPE, SCORE_SCOPE],
                "lineitems": f"{self.issuer}/lineitems",
                "lineitem": self.lineitem_url,
            }
        return claims

    def id_token(self, *, nonce: str, tool_url: str) -> str:
        claims = self.claims(nonce=nonce, tool_url=tool_url)
        spoil = self.spoil
        now = int(time.time())
        if spoil == "expired":
            claims.update(iat=now - 3600, exp=now - 600)
        elif spoil == "audience":
            claims["aud"] = claims["azp"] = "cong-cu-khac"
        elif spoil == "issuer":
            claims["iss"] = "https://moodle.la.example"
        elif spoil == "deployment":
            claims[LTI + "deployment_id"] = "trien-khai-la"
        elif spoil == "nonce":
            claims["nonce"] = "khong-phai-nonce-da-gui"
        elif spoil == "no_sub":
            claims.pop("sub", None)
        elif spoil == "no_version":
            claims.pop(LTI + "version")
        if spoil == "none_alg":
            return jwt.encode(claims, None, algorithm="none", headers={"kid": KID})
        if spoil == "hs256":
            public_pem = self.key.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            return _hs256(claims, public_pem)
        signing_key = _new_key() if spoil == "other_key" else self.key
        token = jwt.encode(claims, signing_key, algorithm="RS256", headers={"kid": KID})
        if spoil == "tampered":
            header, _payload, signature = token.split(".")
            changed = {**claims, "sub": "nguoi-khac"}
            token = f"{header}.{_b64url(json.dumps(changed).encode())}.{signature}"
        return token

    # ------------------------------------------- the tool's signed messages

    def _tool_keys(self) -> dict:
        if self.tool_jwks_url:
            return requests.get(self.tool_jwks_url, timeout=5).json()
        return self.tool_jwks or {"keys": []}

    def tool_jwt(self, token: str, *, audience: str) -> dict:
        """A JWT the tool signed, checked as a platform does: RS256 with a
        key of the tool's published set, by its kid."""
        kid = jwt.get_unverified_header(token).get("kid")
        for jwk in self._tool_keys()["keys"]:
            if jwk.get("kid") == kid:
                key = jwt.PyJWK(jwk).key
                return jwt.decode(token, key, algorithms=["RS256"], audience=audience)
        raise jwt.InvalidTokenError("unknown kid")

    def _token(self, environ, query, body):
        if self.down:
            return "503 Service Unavailable", [], b"bao tri"
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        self.token_requests.append(form)
        try:
            if form.get("grant_type") != "client_credentials":
                raise jwt.InvalidTokenError("grant_type")
            claims = self.tool_jwt(
                form.get("client_assertion", ""), audience=f"{self.issuer}/token"
            )
            if claims["iss"] != self.client_id or claims["sub"] != self.client_id:
                raise jwt.InvalidTokenError("iss/sub")
        except (jwt.InvalidTokenError, KeyError) as error:
            self.refusals.append(f"token: {error}")
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        access_token = secrets.token_urlsafe(24)
        self.tokens.add(access_token)
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": form.get("scope", ""),
            }
        )

    def _score(self, environ, query, body):
        if self.down:
            return "503 Service Unavailable", [], b"bao tri"
        bearer = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if bearer not in self.tokens:
            self.refusals.append("score: bad token")
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        if environ.get("CONTENT_TYPE") != "application/vnd.ims.lis.v1.score+json":
            return self._json({"error": "content type"}, "415 Unsupported Media Type")
        self.scores.append(json.loads(body))
        return "204 No Content", [], b""

    def _deep_link_return(self, environ, query, body):
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        try:
            answer = self.tool_jwt(form.get("JWT", ""), audience=self.issuer)
        except jwt.InvalidTokenError as error:
            self.refusals.append(f"deep link: {error}")
            return self._html("<p>Chữ ký không hợp lệ</p>", "400 Bad Request")
        self.deep_link_answers.append(answer)
        return self._html(
            '<!doctype html><html lang="vi"><meta charset="utf-8">'
            "<title>Moodle thử</title><h1>Đã thêm hoạt động</h1>"
        )


def _hs256(claims: dict, secret: bytes) -> str:
    """HS256 by hand, with the platform's public key as the secret: the
    algorithm confusion a tool must refuse."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
    payload = _b64url(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def new_sub() -> str:
    return f"hs-{uuid.uuid4().hex[:8]}"
