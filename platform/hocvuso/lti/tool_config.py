"""pylti1p3's tool configuration read from the registrations in the
database (LtiPlatform) and the tool's own key (keys.py)."""

from functools import cached_property

from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfAbstract

from .keys import private_key_pem, public_key_pem, tool_key_current
from .models import LtiPlatform


class PlatformRegistration(Registration):
    """A registration whose tool keys are decrypted only when something is
    signed (a deep-linking answer, a grade token): a launch never needs them."""

    def __init__(self, platform: LtiPlatform):
        super().__init__()
        self.platform = platform
        self.set_issuer(platform.issuer)
        self.set_client_id(platform.client_id)
        self.set_auth_login_url(platform.auth_login_url)
        self.set_auth_token_url(platform.auth_token_url)
        self.set_key_set_url(platform.key_set_url)

    @cached_property
    def _tool_key(self):
        return tool_key_current()

    def get_tool_private_key(self):
        return private_key_pem(self._tool_key)

    def get_tool_public_key(self):
        return public_key_pem(self._tool_key)

    def get_kid(self):
        return self._tool_key.kid


def _lookup_value(value, *, max_length: int) -> bool:
    # From the request or an unverified id_token: PostgreSQL refuses a NUL
    # in a query, and no registration holds a control character anyway.
    return (
        isinstance(value, str) and 0 < len(value) <= max_length and value.isprintable()
    )


def _platform(iss, client_id) -> LtiPlatform | None:
    if not _lookup_value(iss, max_length=300):
        return None
    platforms = LtiPlatform.objects.filter(issuer=iss, enabled=True)
    if client_id is not None and client_id != "":
        if not _lookup_value(client_id, max_length=200):
            return None
        return platforms.filter(client_id=client_id).first()
    # The login initiation may leave client_id out (LTI 1.3 §4.1): only an
    # issuer with a single registration is then unambiguous.
    found = list(platforms[:2])
    return found[0] if len(found) == 1 else None


class DatabaseToolConf(ToolConfAbstract):
    """Every issuer may have several client ids (one per registration), so
    the library always asks with the client id."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        platform = _platform(iss, client_id)
        return PlatformRegistration(platform) if platform is not None else None

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = _platform(iss, client_id)
        if platform is None or not isinstance(deployment_id, str):
            return None
        if deployment_id not in platform.deployment_id_list:
            return None
        return Deployment().set_deployment_id(deployment_id)
