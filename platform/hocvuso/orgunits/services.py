import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, ProgrammePage
from courses.selectors import courses_completed_user_ids
from hocvuso.reports import maintained, refresh_jobs

from .models import (
    Assignment,
    AssignmentReminder,
    Team,
    TeamKind,
    TeamMembership,
    TeamRole,
    Unit,
    UnitLevel,
    UnitTarget,
)

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


def units_csv_provinces(*, path: Path) -> list[tuple[str, str]]:
    """The provinces of a unit list, (code, name) in the list's order."""
    provinces: dict[str, str] = {}
    for row in _read_rows(path):
        provinces.setdefault(row["ma_tinh"].strip(), row["ten_tinh"].strip())
    return list(provinces.items())


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


MAX_VILLAGES_AT_ONCE = 200


@transaction.atomic
def villages_create(*, commune: Unit, names: Iterable[str], kind: str) -> list[Unit]:
    """Several villages at once (a list pasted from the commune's records);
    names already there are kept, and either all are added or none."""
    names = [" ".join(n.split()) for n in names if n.strip()]
    if len(names) > MAX_VILLAGES_AT_ONCE:
        raise ValueError(
            _("Mỗi lần thêm tối đa %(max)d thôn, tổ dân phố.")
            % {"max": MAX_VILLAGES_AT_ONCE}
        )
    return [village_create(commune=commune, name=name, kind=kind) for name in names]


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


@transaction.atomic
def team_member_add(*, team_id: int, user, role: str = TeamRole.MEMBER) -> None:
    """Add an account created just now (it cannot be in the team yet)."""
    TeamMembership.objects.create(team_id=team_id, user=user, role=role)
    maintained.learners_refresh(user_ids=[user.pk])


@transaction.atomic
def team_membership_set(*, team_id: int, user, role: str = TeamRole.MEMBER) -> bool:
    """Put the user in the team with this role; True when anything changed."""
    membership, created = TeamMembership.objects.get_or_create(
        team_id=team_id, user=user, defaults={"role": role}
    )
    # Also after the import moved the member or left another team.
    maintained.learners_refresh(user_ids=[user.pk])
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
        return True
    return created


class AssignmentError(ValueError):
    """The assignment cannot be made as asked; nothing was written."""


MAX_REMIND_DAYS = 60


@transaction.atomic
def assignment_create(
    *,
    created_by,
    course: CoursePage | None = None,
    programme: ProgrammePage | None = None,
    unit: Unit | None = None,
    team: Team | None = None,
    starts_on: date,
    due_on: date,
    remind_days_before: int = 3,
) -> Assignment:
    if (course is None) == (programme is None):
        raise AssignmentError(_("Hãy chọn một khóa học hoặc một chương trình."))
    if (unit is None) == (team is None):
        raise AssignmentError(_("Hãy giao cho một đơn vị hoặc một tổ."))
    if due_on < starts_on:
        raise AssignmentError(_("Hạn hoàn thành không được trước ngày bắt đầu."))
    if not 0 <= remind_days_before <= MAX_REMIND_DAYS:
        raise AssignmentError(
            _("Số ngày nhắc trước hạn phải từ 0 đến %(max)d.")
            % {"max": MAX_REMIND_DAYS}
        )
    assignment = Assignment.objects.create(
        course=course,
        programme=programme,
        unit=unit,
        team=team,
        starts_on=starts_on,
        due_on=due_on,
        remind_days_before=remind_days_before,
        created_by=created_by,
    )
    refresh_jobs.assignment_refresh(assignment=assignment)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    assignment.delete()
    refresh_jobs.assignment_refresh(assignment=assignment, removed=True)


def unit_target_set(
    *, unit: Unit, programme: ProgrammePage, learners: int
) -> UnitTarget:
    target, _created = UnitTarget.objects.update_or_create(
        unit=unit, programme=programme, defaults={"learners": learners}
    )
    return target


def assignment_learners(*, assignment: Assignment) -> QuerySet:
    """Every account the assignment reaches (its unit's subtree or its team)."""
    users = get_user_model().objects.filter(is_active=True)
    if assignment.team_id:
        return users.filter(team_memberships__team_id=assignment.team_id)
    return users.filter(unit__path__startswith=assignment.unit.path)


def _reminder_text(assignment: Assignment) -> str:
    title = (assignment.course or assignment.programme).title
    return _(
        "Bình dân học vụ số: bạn cần hoàn thành “%(title)s” trước ngày %(due)s. "
        "Vào học ngay trên điện thoại của bạn."
    ) % {"title": title, "due": assignment.due_on.strftime("%d/%m/%Y")}


def assignment_reminders_send(*, today: date | None = None) -> int:
    """Remind, once, every learner not yet complete of an assignment whose
    reminder day has come (due date minus its days, up to the due date).
    Returns how many reminders were sent. Safe to run again the same day:
    each (assignment, learner, due date) is recorded under a unique
    constraint, and the assignment row is locked while it is handled."""
    from hocvuso.accounts.services import sms_send

    today = today or timezone.localdate()
    sent = 0
    candidates = Assignment.objects.filter(
        due_on__gte=today, starts_on__lte=today
    ).select_related("course", "programme", "unit")
    for assignment in candidates:
        if assignment.due_on - timedelta(days=assignment.remind_days_before) > today:
            continue
        with transaction.atomic():
            Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
            course_ids = (
                [assignment.course_id]
                if assignment.course_id
                else list(
                    assignment.programme.programme_courses.values_list(
                        "course_id", flat=True
                    )
                )
            )
            learners = assignment_learners(assignment=assignment).filter(
                phone__isnull=False
            )
            done = courses_completed_user_ids(course_ids=course_ids, users=learners)
            already = set(
                AssignmentReminder.objects.filter(
                    assignment=assignment, due_on=assignment.due_on
                ).values_list("user_id", flat=True)
            )
            now = timezone.now()
            todo = [
                (pk, phone)
                for pk, phone in learners.values_list("pk", "phone")
                if pk not in done and pk not in already
            ]
            AssignmentReminder.objects.bulk_create(
                [
                    AssignmentReminder(
                        assignment=assignment,
                        user_id=pk,
                        due_on=assignment.due_on,
                        sent_at=now,
                    )
                    for pk, _phone in todo
                ]
            )
            text = _reminder_text(assignment)
            for _pk, phone in todo:
                transaction.on_commit(
                    lambda phone=phone, text=text: sms_send(to=phone, text=text)
                )
            sent += len(todo)
    return sent
