import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Team, TeamKind, TeamMembership, TeamRole, Unit, UnitLevel

CSV_COLUMNS = ("ma_tinh", "ten_tinh", "loai_tinh", "ma_xa", "ten_xa", "loai_xa")


class UnitImportError(ValueError):
    """The file cannot be imported as a whole; nothing was written."""


@dataclass
class UnitImportResult:
    created: int = 0
    renamed: int = 0
    unchanged: int = 0
    provinces: set[str] = field(default_factory=set)


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise UnitImportError(
                    _("Tệp thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)}
                )
            rows = list(reader)
    except FileNotFoundError as exc:
        raise UnitImportError(
            _("Không tìm thấy tệp %(path)s.") % {"path": path}
        ) from exc
    except UnicodeDecodeError as exc:
        raise UnitImportError(_("Tệp phải được lưu theo mã UTF-8.")) from exc
    for number, row in enumerate(rows, start=2):
        province, commune = row["ma_tinh"].strip(), row["ma_xa"].strip()
        if not (len(province) == 2 and province.isdigit()):
            raise UnitImportError(
                _("Dòng %(n)d: mã tỉnh “%(code)s” phải gồm 2 chữ số.")
                % {"n": number, "code": province}
            )
        if not (len(commune) == 5 and commune.isdigit()):
            raise UnitImportError(
                _("Dòng %(n)d: mã xã “%(code)s” phải gồm 5 chữ số.")
                % {"n": number, "code": commune}
            )
        if not row["ten_tinh"].strip() or not row["ten_xa"].strip():
            raise UnitImportError(_("Dòng %(n)d: thiếu tên đơn vị.") % {"n": number})
    return rows


def _upsert(
    *,
    code: str,
    name: str,
    kind: str,
    level: str,
    parent: Unit | None,
    existing: dict[str, Unit],
    result: UnitImportResult,
) -> Unit:
    unit = existing.get(code)
    if unit is None:
        values = {"code": code, "name": name, "kind": kind, "level": level}
        unit = parent.add_child(**values) if parent else Unit.add_root(**values)
        existing[code] = unit
        result.created += 1
    elif unit.name != name or unit.kind != kind:
        # Names may change (a merger renames a commune); codes never do.
        unit.name, unit.kind = name, kind
        unit.save(update_fields=["name", "kind"])
        result.renamed += 1
    else:
        result.unchanged += 1
    return unit


@transaction.atomic
def units_import_csv(
    *,
    path: Path,
    province_codes: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> UnitImportResult:
    """Import provinces and communes from the national list (idempotent)."""
    rows = _read_rows(path)
    wanted = set(province_codes or [])
    if wanted:
        rows = [row for row in rows if row["ma_tinh"].strip() in wanted]
        unknown = wanted - {row["ma_tinh"].strip() for row in rows}
        if unknown:
            raise UnitImportError(
                _("Không có tỉnh mã %(codes)s trong tệp.")
                % {"codes": ", ".join(sorted(unknown))}
            )
    existing = {
        unit.code: unit
        for unit in Unit.objects.filter(
            level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE]
        )
    }
    result = UnitImportResult()
    provinces: dict[str, Unit] = {}
    for row in rows:
        code = row["ma_tinh"].strip()
        if code not in provinces:
            provinces[code] = _upsert(
                code=code,
                name=row["ten_tinh"].strip(),
                kind=row["loai_tinh"].strip(),
                level=UnitLevel.PROVINCE,
                parent=None,
                existing=existing,
                result=result,
            )
    result.provinces = set(provinces)
    for index, row in enumerate(rows, start=1):
        province = provinces[row["ma_tinh"].strip()]
        commune = existing.get(row["ma_xa"].strip())
        if commune is not None and not commune.path.startswith(province.path):
            raise UnitImportError(
                _("Xã %(code)s đã thuộc tỉnh khác; mã đơn vị không được đổi.")
                % {"code": commune.code}
            )
        _upsert(
            code=row["ma_xa"].strip(),
            name=row["ten_xa"].strip(),
            kind=row["loai_xa"].strip(),
            level=UnitLevel.COMMUNE,
            parent=province,
            existing=existing,
            result=result,
        )
        if progress:
            progress(index, len(rows))
    return result


@transaction.atomic
def village_create(*, commune: Unit, name: str, kind: str) -> Unit:
    """Add a village or residential group under a commune, numbered locally."""
    if commune.level != UnitLevel.COMMUNE:
        raise ValueError(_("Thôn, tổ dân phố chỉ được tạo trong một xã, phường."))
    name = name.strip()
    if not name:
        raise ValueError(_("Vui lòng nhập tên thôn, tổ dân phố."))
    existing = Unit.objects.filter(
        path__startswith=commune.path, depth=commune.depth + 1
    )
    found = existing.filter(name=name).first()
    if found:
        return found
    number = existing.count() + 1
    commune.refresh_from_db()
    return commune.add_child(
        code=f"{commune.code}-{number:02d}",
        name=name,
        kind=kind,
        level=UnitLevel.VILLAGE,
    )


class TeamError(ValueError):
    """A team cannot be created as asked; nothing was written."""


def team_placement_check(*, unit: Unit, kind: str) -> None:
    if kind == TeamKind.YOUTH_UNION and unit.level != UnitLevel.PROVINCE:
        raise TeamError(_("Tổ của Tỉnh đoàn phải thuộc cấp tỉnh."))
    if kind == TeamKind.COMMUNITY and unit.level == UnitLevel.PROVINCE:
        raise TeamError(
            _(
                "Tổ công nghệ số cộng đồng phải thuộc một xã, phường hoặc thôn, tổ dân phố."
            )
        )


def team_create(*, unit: Unit, name: str, kind: str = TeamKind.COMMUNITY) -> Team:
    """A community team in a commune or village; the youth union's in a province.

    Creating the same team again returns the existing one.
    """
    name = " ".join(name.split())
    if not name:
        raise TeamError(_("Vui lòng nhập tên tổ."))
    team_placement_check(unit=unit, kind=kind)
    team, _created = Team.objects.get_or_create(
        unit=unit, name=name, defaults={"kind": kind}
    )
    return team


def team_membership_set(*, team_id: int, user, role: str = TeamRole.MEMBER) -> bool:
    """Put the user in the team with this role; True when anything changed."""
    membership, created = TeamMembership.objects.get_or_create(
        team_id=team_id, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        return True
    return created
