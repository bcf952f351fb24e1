from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
