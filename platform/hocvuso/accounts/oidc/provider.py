from allauth.socialaccount import app_settings
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    _pick_data,
)
from django.utils.crypto import get_random_string

from .views import IdentityProviderAdapter

# What we keep of the provider's claims (Law 91/2025: no more than we use).
CLAIMS_KEPT = ("iss", "sub", "name", "phone_number", "phone_number_verified")
CLAIM_MAX = 500


class IdentityProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider (same id, so its SocialApp rows and
    accounts are allauth's own), stricter about what it accepts."""

    oauth2_adapter_class = IdentityProviderAdapter

    def get_default_scope(self) -> list[str]:
        return ["openid", "profile", "phone"]

    # The scope and the parameters sent to the provider are the app's; a
    # link cannot add its own (?scope=…, ?auth_params=… in allauth).
    def get_scope_from_request(self, request) -> list[str]:
        return self.get_scope()

    def get_auth_params_from_request(self, request, action) -> dict:
        return self.get_auth_params()

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        # The nonce goes to the provider and into the stashed state; the
        # callback wants it back inside the signed ID token.
        nonce = get_random_string(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params=auth_params,
            nonce=nonce,
            **kwargs,
        )

    def extract_uid(self, data: dict) -> str:
        # userinfo must speak of the person the signed token names.
        parts = [data.get("id_token"), data.get("userinfo")]
        parts = [part for part in parts if part is not None]
        if not parts or not all(isinstance(part, dict) for part in parts):
            raise OAuth2Error("no claims")
        subjects = {part.get("sub") for part in parts}
        if len(subjects) != 1:
            raise OAuth2Error("userinfo is about another subject than the id_token")
        (sub,) = subjects
        if (
            not isinstance(sub, str)
            or not 0 < len(sub) <= app_settings.UID_MAX_LENGTH
            or "\x00" in sub
        ):
            raise OAuth2Error("unusable sub")
        return sub

    def extract_common_fields(self, data: dict) -> dict:
        # No username or e-mail: accounts here are found by phone number,
        # and only by one the provider says it verified (social_adapter).
        claims = _pick_data(data)
        phone = claims.get("phone_number")
        return {
            "name": claims.get("name"),
            "phone": phone if isinstance(phone, str) else None,
            "phone_verified": claims.get("phone_number_verified") is True,
        }

    def extract_email_addresses(self, data: dict) -> list:
        return []

    def extract_extra_data(self, data: dict) -> dict:
        return {
            part: {
                claim: _storable(claims[claim])
                for claim in CLAIMS_KEPT
                if claim in claims
            }
            for part, claims in data.items()
            if part in ("id_token", "userinfo") and isinstance(claims, dict)
        }


def _storable(value):
    """A claim as the JSON column can hold it: PostgreSQL refuses a NUL in
    JSON text, and nothing we use is longer than a few hundred characters."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value).replace("\x00", "")[:CLAIM_MAX]
