from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.models import CourseCompletion, ProgrammeCourse
from hocvuso.orgunits.selectors import AdminScope

from . import checkin
from .models import Attendance, Invitation, TrainingClass


def classes_in_scope(*, scope: AdminScope) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(scope.q("unit")).select_related(
        "unit", "course", "programme"
    )


def class_in_scope_get(*, scope: AdminScope, pk: int) -> TrainingClass | None:
    return classes_in_scope(scope=scope).filter(pk=pk).first()


def class_get(*, pk: int) -> TrainingClass | None:
    return TrainingClass.objects.filter(pk=pk).first()


def classes_open_list(*, at: datetime) -> list[TrainingClass]:
    """Classes taking check-ins at `at` (a handful on a training day)."""
    return list(
        TrainingClass.objects.filter(
            cancelled_at__isnull=True,
            starts_at__lte=at + checkin.OPENS_BEFORE,
            ends_at__gte=at - checkin.CLOSES_AFTER,
        ).order_by("starts_at")
    )


@dataclass(frozen=True)
class PersonRow:
    user_id: int
    full_name: str
    phone: str
    unit_name: str
    invited: bool
    attendance: Attendance | None


def class_people_list(*, training_class: TrainingClass) -> list[PersonRow]:
    """The invitees, then the walk-ins, each with their attendance."""
    attendances = {
        a.user_id: a for a in Attendance.objects.filter(training_class=training_class)
    }
    invited = set(
        Invitation.objects.filter(training_class=training_class).values_list(
            "user_id", flat=True
        )
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=invited | set(attendances))
        .select_related("unit")
        .order_by("full_name", "pk")
    )
    rows = [
        PersonRow(
            user_id=u.pk,
            full_name=u.full_name or u.username,
            phone=u.phone_local,
            unit_name=u.unit.name if u.unit_id else "",
            invited=u.pk in invited,
            attendance=attendances.get(u.pk),
        )
        for u in users
    ]
    return sorted(rows, key=lambda r: not r.invited)


def class_person_get(*, training_class: TrainingClass, user_id: int):
    """The account if it is on the class's list: invited, or marked present."""
    on_list = Q(
        pk__in=Invitation.objects.filter(training_class=training_class).values(
            "user_id"
        )
    ) | Q(
        pk__in=Attendance.objects.filter(training_class=training_class).values(
            "user_id"
        )
    )
    return get_user_model().objects.filter(on_list, pk=user_id).first()


def class_invited_count(*, training_class: TrainingClass) -> int:
    return training_class.invitations.count()


def class_present_count(*, training_class: TrainingClass) -> int:
    return training_class.attendances.count()


def class_course_ids(*, training_class: TrainingClass) -> list[int]:
    if training_class.course_id:
        return [training_class.course_id]
    return list(
        ProgrammeCourse.objects.filter(
            programme_id=training_class.programme_id
        ).values_list("course_id", flat=True)
    )


@dataclass
class ReportRow:
    name: str
    code: str = ""
    invited: int = 0
    present: int = 0
    late: int = 0
    walk_ins: int = 0
    finished: int = 0

    @property
    def absent(self) -> int:
        return self.invited - self.present

    def add(self, other: "ReportRow") -> None:
        for name in ("invited", "present", "late", "walk_ins", "finished"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ClassReport:
    rows: list[ReportRow]
    total: ReportRow
    days: int
    finished_by: datetime
    course_count: int = 0
    notes: list[str] = field(default_factory=list)


OUTSIDE = "Ngoài các đơn vị được mời"


def class_report(*, training_class: TrainingClass, days: int) -> ClassReport:
    """Per invited unit: invited, present among them (late included),
    absent, walk-ins, and attendees who finished every covered course by
    `days` days after the class ended. Each person counts in the deepest
    invited unit holding their own unit; walk-ins from elsewhere in a row of
    their own."""
    units = sorted(training_class.invited_units.all(), key=lambda u: u.name)
    rows = {u.pk: ReportRow(name=u.name, code=u.code) for u in units}
    outside = ReportRow(name=OUTSIDE)
    by_depth = sorted(units, key=lambda u: -len(u.path))

    def row_for(path: str | None) -> ReportRow:
        for unit in by_depth:
            if path and path.startswith(unit.path):
                return rows[unit.pk]
        return outside

    invited = set(training_class.invitations.values_list("user_id", flat=True))
    attendances = {
        a.user_id: a for a in Attendance.objects.filter(training_class=training_class)
    }
    finished_by = training_class.ends_at + timedelta(days=days)
    course_ids = class_course_ids(training_class=training_class)
    finished = set()
    if course_ids and attendances:
        finished = {
            row["user_id"]
            for row in CourseCompletion.objects.filter(
                user_id__in=list(attendances),
                course_id__in=course_ids,
                completed_at__lte=finished_by,
            )
            .values("user_id")
            .annotate(n=Count("course_id", distinct=True))
            if row["n"] == len(course_ids)
        }
    paths = dict(
        get_user_model()
        .objects.filter(pk__in=invited | set(attendances))
        .values_list("pk", "unit__path")
    )
    for user_id, path in paths.items():
        row = row_for(path)
        attendance = attendances.get(user_id)
        row.invited += user_id in invited
        if attendance is not None:
            row.present += user_id in invited
            row.walk_ins += attendance.walk_in
            row.late += attendance.late
            row.finished += user_id in finished
    out = [rows[u.pk] for u in units]
    if outside.walk_ins:
        out.append(outside)
    total = ReportRow(name="Tổng cộng")
    for row in out:
        total.add(row)
    return ClassReport(
        rows=out,
        total=total,
        days=days,
        finished_by=timezone.localtime(finished_by),
        course_count=len(course_ids),
    )


def person_in_scope_id(*, scope: AdminScope, phone: str) -> int | None:
    """The active account with this number living in the admin's subtree."""
    return (
        get_user_model()
        .objects.filter(scope.q("unit"), phone=phone, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


def person_classes_rows(*, user) -> list[list]:
    """The classes a person was invited to or attended, for "Dữ liệu của
    tôi": title, start, invited, checked in at, late. Two queries."""
    attendances = {a.training_class_id: a for a in Attendance.objects.filter(user=user)}
    invited = set(
        Invitation.objects.filter(user=user).values_list("training_class_id", flat=True)
    )
    classes = TrainingClass.objects.filter(pk__in=invited | set(attendances)).order_by(
        "starts_at"
    )
    rows = []
    for c in classes:
        attendance = attendances.get(c.pk)
        rows.append(
            [
                c.title,
                c.starts_at,
                "có" if c.pk in invited else "không",
                attendance.marked_at if attendance else "",
                ("có" if attendance.late else "không") if attendance else "",
            ]
        )
    return rows


TRAINING_FIGURES = ("classes", "invited", "present", "absent", "walk_ins")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def quarter_training_figures(
    *, unit, course_ids: Iterable[int], start: date, end: date, audience: str = ""
) -> dict:
    """What the quarterly snapshot freezes of the training days: for the unit
    and each unit directly below it, the classes held (started in [start,
    end), local dates; cancelled ones left out) on the subject's courses —
    a class on a programme counts for each of its courses — that invited
    or saw someone of that unit, and that unit's people invited, present
    among them, absent, and walk-ins. People count where they live now, as in
    the class report; `audience` keeps one learner type. JSON-ready."""
    course_ids = list(course_ids)
    programme_ids = ProgrammeCourse.objects.filter(course_id__in=course_ids).values(
        "programme_id"
    )
    class_ids = list(
        TrainingClass.objects.filter(
            Q(course_id__in=course_ids) | Q(programme_id__in=programme_ids),
            cancelled_at__isnull=True,
            starts_at__gte=_day_start(start),
            starts_at__lt=_day_start(end),
        ).values_list("pk", flat=True)
    )
    people = Q(user__unit__path__startswith=unit.path)
    if audience:
        people &= Q(user__learner_type=audience)
    invitations = Invitation.objects.filter(
        people, training_class_id__in=class_ids
    ).values_list("training_class_id", "user_id", "user__unit__path")
    attendances = Attendance.objects.filter(
        people, training_class_id__in=class_ids
    ).values_list("training_class_id", "user_id", "user__unit__path", "walk_in")
    children = list(unit.get_children().order_by("name"))
    rows = {c.path: _TrainingTally(code=c.code, name=c.name) for c in children}
    total = _TrainingTally(code=unit.code, name=unit.name)
    path_len = len(unit.path) + unit.steplen

    def tallies(path: str) -> list["_TrainingTally"]:
        child = rows.get(path[:path_len])
        return [total, child] if child else [total]

    present = set()
    for class_id, user_id, path, walk_in in attendances:
        present.add((class_id, user_id))
        if walk_in:
            for tally in tallies(path):
                tally.walk_ins += 1
                tally.class_ids.add(class_id)
    for class_id, user_id, path in invitations:
        for tally in tallies(path):
            tally.invited += 1
            tally.present += (class_id, user_id) in present
            tally.class_ids.add(class_id)
    return {
        "rows": [rows[c.path].as_json() for c in children],
        "total": total.as_json(),
    }


@dataclass
class _TrainingTally:
    code: str
    name: str
    invited: int = 0
    present: int = 0
    walk_ins: int = 0
    class_ids: set = field(default_factory=set)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "classes": len(self.class_ids),
            "invited": self.invited,
            "present": self.present,
            "absent": self.invited - self.present,
            "walk_ins": self.walk_ins,
        }
