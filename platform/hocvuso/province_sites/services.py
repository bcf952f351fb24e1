"""Creating a province's site in one step (issue 22)."""

import re
from dataclasses import dataclass

import idna
from django.conf import settings
from django.db import transaction
from django.http.request import validate_host
from django.utils.translation import gettext as _
from wagtail.models import Site

from certificates.models import CertificateSettings
from hocvuso.core.text import slug_ascii
from hocvuso.orgunits.models import Unit, UnitLevel
from hocvuso.orgunits.services import (
    UnitImportError,
    units_csv_provinces,
    units_import_csv,
)

from .models import ProvinceSite

# A DNS name (or an IPv4 address): labels of letters, digits and inner
# hyphens, at most 253 characters; no port, no path.
_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)
_PROVINCE_CODE = re.compile(r"[0-9]{2}")
_KIND_WORDS = ("tinh", "thanh", "pho")


class ProvinceSiteError(Exception):
    """A refusal the national administrator must understand (Vietnamese)."""


@dataclass(frozen=True)
class ProvinceSiteResult:
    site: Site
    setting: ProvinceSite
    created: bool
    units_created: int


def hostname_clean(value: str) -> str:
    """The host name in lower-case ASCII (a Vietnamese name in its IDNA form)."""
    value = value.strip().lower().rstrip(".")
    try:
        # IDNA 2008 (the idna package), not Python's IDNA 2003 codec, which
        # turns an emoji or an invisible joiner into a valid-looking xn-- name.
        ascii_name = idna.encode(value, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        ascii_name = ""
    if not _HOSTNAME.fullmatch(ascii_name):
        raise ProvinceSiteError(
            _(
                "Tên miền “%(host)s” không hợp lệ: chỉ gồm chữ, số, dấu chấm và "
                "gạch nối, không kèm cổng hay đường dẫn (ví dụ hoc.hue.gov.vn)."
            )
            % {"host": value[:80]}
        )
    return ascii_name


def host_served(*, hostname: str) -> bool:
    """Whether the server accepts requests for `hostname` (ALLOWED_HOSTS):
    a site on a host it refuses cannot be opened."""
    return validate_host(hostname, settings.ALLOWED_HOSTS)


def province_choices() -> list[tuple[str, str]]:
    """The provinces a site can be created for: those of the bundled list
    (code, name), whether or not they are imported yet."""
    try:
        return units_csv_provinces(path=settings.UNITS_CSV)
    except UnitImportError as exc:
        raise ProvinceSiteError(str(exc)) from exc


def serial_prefix_for(province: Unit) -> str:
    """HUE for Thành phố Huế, QN for Tỉnh Quảng Ngãi: the name's initials
    without its kind, or its first three letters when it is one word."""
    words = [w for w in slug_ascii(province.name).split("-") if w]
    while len(words) > 1 and words[0] in _KIND_WORDS:
        words = words[1:]
    prefix = words[0][:3] if len(words) == 1 else "".join(w[0] for w in words)
    return prefix.upper()[:8] or province.code


def _issuer_for(province: Unit) -> str:
    # Printed on certificates: Vietnamese whatever language the admin reads.
    return f"Sở Khoa học và Công nghệ {province.name[:1].lower()}{province.name[1:]}"


@transaction.atomic
def province_site_create(
    *, province_code: str, hostname: str, name: str = ""
) -> ProvinceSiteResult:
    """The province's subtree (imported from the bundled list if missing), a
    Wagtail site on `hostname` sharing the default site's pages (the same
    seven courses: progress and certificates stay one per course), its look
    and its certificate template. Running it again changes nothing."""
    code = province_code.strip()
    if not _PROVINCE_CODE.fullmatch(code):
        raise ProvinceSiteError(
            _("Mã tỉnh “%(code)s” không hợp lệ: mã tỉnh gồm 2 chữ số, ví dụ 46.")
            % {"code": code[:20]}
        )
    host = hostname_clean(hostname)
    name = " ".join(name.split())[:120]
    default = Site.objects.filter(is_default_site=True).first()
    if default is None:
        raise ProvinceSiteError(_("Chưa có trang mặc định; hãy chạy seed_demo trước."))
    existing = Site.objects.filter(hostname=host).first()
    existing_setting = ProvinceSite.objects.filter(province__code=code).first()
    if existing is not None:
        taken = getattr(existing, "provincesite", None)
        if taken is None or taken.province is None or taken.province.code != code:
            raise ProvinceSiteError(
                _("Tên miền %(host)s đã được dùng cho một trang khác.") % {"host": host}
            )
    elif existing_setting is not None:
        raise ProvinceSiteError(
            _("Tỉnh này đã có trang tại %(host)s.")
            % {"host": existing_setting.site.hostname}
        )
    try:
        imported = units_import_csv(path=settings.UNITS_CSV, province_codes=[code])
    except UnitImportError as exc:
        raise ProvinceSiteError(str(exc)) from exc
    province = Unit.objects.get(code=code, level=UnitLevel.PROVINCE)
    if existing is not None:
        return ProvinceSiteResult(
            site=existing,
            setting=existing.provincesite,
            created=False,
            units_created=imported.created,
        )
    site = Site.objects.create(
        hostname=host,
        port=80,
        root_page_id=default.root_page_id,
        site_name=name or province.name,
    )
    setting = ProvinceSite.objects.create(
        site=site, province=province, name=name or province.name
    )
    brand = CertificateSettings.for_site(site)
    brand.issuer_name = _issuer_for(province)
    brand.serial_prefix = serial_prefix_for(province)
    # The default site's signer belongs to another province: left for the
    # province to fill in the CMS rather than printed on its certificates.
    brand.signer_name = ""
    brand.save()
    return ProvinceSiteResult(
        site=site, setting=setting, created=True, units_created=imported.created
    )
