import hashlib
import hmac
import json

import jwt
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit, statekit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import (
    OpenIDConnectOAuth2Adapter,
)
from allauth.socialaccount.providers.openid_connect.views import (
    login as login,  # allauth's own: the nonce is added by the provider
)
from django.core.cache import cache
from django.http import Http404, HttpRequest

# Asymmetric only: with HS256 the provider's public key would be the secret.
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256"]
# Clock difference tolerated between the provider and us, in seconds.
LEEWAY = 30
# A provider's discovery document, kept this long: without it every press
# of a sign-in button (anyone's, with a CSRF token) fetched it again.
DISCOVERY_TTL = 3600


class IdentityProviderAdapter(OpenIDConnectOAuth2Adapter):
    # The nonce the login sent, read back from its stashed state.
    expected_nonce: str | None = None

    @property
    def openid_config(self) -> dict:
        if not hasattr(self, "_openid_config"):
            provider = self.get_provider()
            overrides = provider.app.settings.get("openid_configuration_overrides")
            source = json.dumps([provider.server_url, overrides], sort_keys=True)
            key = "oidc-discovery:" + hashlib.sha256(source.encode()).hexdigest()
            config = cache.get(key)
            if config is None:
                config = OpenIDConnectOAuth2Adapter.openid_config.fget(self)
                cache.set(key, config, DISCOVERY_TTL)
            self._openid_config = config
        return self._openid_config

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        if not kwargs["response"].get("id_token"):
            raise OAuth2Error("the token endpoint sent no id_token")
        return super().complete_login(request, app, token, **kwargs)

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        try:
            claims = jwt.decode(
                id_token,
                key=self._signing_key(id_token),
                algorithms=SIGNING_ALGORITHMS,
                audience=app.client_id,
                issuer=self.openid_config["issuer"],
                leeway=LEEWAY,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise OAuth2Error(f"invalid id_token: {error}") from error
        nonce = claims.get("nonce")
        if not (
            self.expected_nonce
            and isinstance(nonce, str)
            and hmac.compare_digest(nonce, self.expected_nonce)
        ):
            raise OAuth2Error("the id_token's nonce is not the one sent")
        jwtkit.verify_jti(claims)
        return claims

    def _signing_key(self, id_token: str):
        """The provider's published key named by the token's `kid` (or its
        only key when the token names none)."""
        kid = jwt.get_unverified_header(id_token).get("kid")
        with get_adapter().get_requests_session() as session:
            response = session.get(self.openid_config["jwks_uri"])
            response.raise_for_status()
            published = response.json()
        try:
            keys = jwt.PyJWKSet.from_dict(published).keys
        except (jwt.PyJWTError, AttributeError, KeyError, TypeError) as error:
            raise OAuth2Error("unreadable JWKS") from error
        matching = [key for key in keys if kid is None or key.key_id == kid]
        if len(matching) != 1:
            raise OAuth2Error(f"no single published key for kid {kid!r}")
        return matching[0]


def _stashed_nonce(request: HttpRequest) -> str | None:
    """Peek at the state the login stashed; allauth's callback then takes it
    (and refuses the callback when there is none)."""
    stashed = statekit.get_states(request).get(request.GET.get("state", ""))
    if isinstance(stashed, list | tuple) and stashed and isinstance(stashed[0], dict):
        nonce = stashed[0].get("nonce")
        return nonce if isinstance(nonce, str) else None
    return None


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    adapter = IdentityProviderAdapter(request, provider_id)
    adapter.expected_nonce = _stashed_nonce(request)
    try:
        return OAuth2CallbackView.adapter_view(adapter)(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404 from missing
