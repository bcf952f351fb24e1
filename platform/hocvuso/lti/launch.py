"""pylti1p3 set up for this site: the registrations from the database,
launch data in the cache, a one-time nonce, timeouts on every call to a
platform, and every refusal as one exception with a Vietnamese message.

The library checks the launch (LTI 1.3 core §5, Security Framework §5.1.3):
the state against its cookie, the id_token's signature with a key from the
platform's JWKS, issuer, audience (client id), expiry, deployment id and
the message's required claims. Two things it leaves to us: a nonce is
only looked up, not used up, so a replayed id_token would pass; and its
HTTP calls have no timeout."""

import logging
import re

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.contrib.django.launch_data_storage.cache import DjangoCacheDataStorage
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.service_connector import REQUESTS_USER_AGENT

from .tool_config import DatabaseToolConf

logger = logging.getLogger(__name__)

# What the library or a hostile id_token can raise while it is checked: a
# claim of the wrong JSON type reaches `.get` on a list, a bad base64 or key.
_LIBRARY_ERRORS = (
    LtiException,
    OIDCException,
    AttributeError,
    KeyError,
    TypeError,
    ValueError,
)
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512")


class LaunchRefused(Exception):
    """A launch (or login initiation) that is not accepted; `message` is
    what the person sees."""

    def __init__(self, message: str, *, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.reason = reason


def refused_from(error: Exception) -> LaunchRefused:
    reason = f"{type(error).__name__}: {error}"[:300]
    logger.info("LTI launch refused: %s", reason)
    return LaunchRefused(
        _(
            "Không thể mở khóa học từ hệ thống quản lý học tập: yêu cầu không "
            "hợp lệ, đã hết hạn hoặc đã được dùng. Hãy quay lại trang khóa học "
            "của trường và bấm mở lại."
        ),
        reason=reason,
    )


class _TimeoutSession(requests.Session):
    """The library calls requests without a timeout: a platform that does
    not answer would hold a web worker for ever."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.LTI_TIMEOUT_SECONDS)
        kwargs.setdefault("allow_redirects", False)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    session = _TimeoutSession()
    session.headers["User-Agent"] = REQUESTS_USER_AGENT
    return session


class LaunchDataStorage(DjangoCacheDataStorage):
    def consume(self, key: str) -> bool:
        """Deletes the key; True only for the one caller that found it."""
        return bool(self._get_cache().delete(self._prepare_key(key)))


def launch_data_storage() -> LaunchDataStorage:
    return LaunchDataStorage(cache_name="default")


class ToolMessageLaunch(DjangoMessageLaunch):
    def validate_jwt_format(self):
        super().validate_jwt_format()
        header, body = self._jwt.get("header"), self._jwt.get("body")
        if not isinstance(header, dict) or not isinstance(body, dict):
            raise LtiException("JWT header and body must be JSON objects")
        if header.get("alg") not in SIGNING_ALGORITHMS:
            raise LtiException("JWT algorithm not allowed")
        return self

    def validate_nonce(self):
        nonce = self._get_jwt_body().get("nonce")
        if not isinstance(nonce, str) or not nonce:
            raise LtiException('"nonce" is empty')
        # Used up here: the same id_token posted again (a replay, or the
        # page reloaded) finds no nonce.
        storage = self._session_service.data_storage
        if not storage.consume(self._session_service._get_key("nonce", nonce)):
            raise LtiException("Invalid Nonce")
        return self


def tool_conf() -> DatabaseToolConf:
    return DatabaseToolConf()


def oidc_login(request) -> DjangoOIDCLogin:
    return DjangoOIDCLogin(
        request, tool_conf(), launch_data_storage=launch_data_storage()
    )


def login_redirect(request, *, launch_url: str):
    """The answer to a platform's login initiation: a redirect to its
    authorisation endpoint with our state (cookie) and nonce (cache)."""
    try:
        return oidc_login(request).redirect(launch_url)
    except _LIBRARY_ERRORS as error:
        raise refused_from(error) from error


# The state this tool issues (pylti1p3: "state-" and a UUID), and room for
# a generous id_token: both are looked up in the cache or parsed before any
# signature is checked, so their size is bounded first.
_STATE = re.compile(
    r"state-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
ID_TOKEN_MAX = 64 * 1024


def message_launch_validated(request) -> ToolMessageLaunch:
    state = request.POST.get("state", "")
    id_token = request.POST.get("id_token", "")
    if not _STATE.fullmatch(state):
        raise refused_from(LtiException("bad state"))
    if not id_token or len(id_token) > ID_TOKEN_MAX:
        raise refused_from(LtiException("bad id_token size"))
    try:
        launch = ToolMessageLaunch(
            request,
            tool_conf(),
            launch_data_storage=launch_data_storage(),
            requests_session=http_session(),
        )
        launch.validate()
    except _LIBRARY_ERRORS as error:
        raise refused_from(error) from error
    return launch
