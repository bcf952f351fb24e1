"""A province of our own for the board (as many communes as a test needs),
a programme assigned to it, and learners with programme completions written
behind the services' back and brought into the maintained figures by the
backfill, as an installation's history would be."""

from datetime import date

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from hocvuso.accounts.models import User
from hocvuso.orgunits.models import Assignment, Unit, UnitLevel, UnitTarget
from hocvuso.reports import maintained

from courses.models import Audience as CourseAudience
from courses.models import (
    CoursePage,
    ProgrammeCompletion,
    ProgrammeCourse,
    ProgrammePage,
)

PASSWORD = make_password("Matkhau@2025")


@pytest.fixture
def programme(build_catalog):
    catalog = build_catalog(courses=1, lessons=1)
    course = CoursePage.objects.get()
    programme = ProgrammePage(
        title="Chương trình thi đua",
        slug="chuong-trinh-thi-dua",
        audience=CourseAudience.BOTH,
        summary="Một khóa.",
    )
    programme.programme_courses = [ProgrammeCourse(course=course, sort_order=0)]
    catalog.add_child(instance=programme)
    programme.save_revision().publish()
    return programme


def province_make(code: str, names: list[str]) -> tuple[Unit, list[Unit]]:
    province = Unit.add_root(
        code=code, name=f"Tỉnh {code}", level=UnitLevel.PROVINCE, kind="tỉnh"
    )
    communes = []
    for i, name in enumerate(names):
        province.refresh_from_db()
        communes.append(
            province.add_child(
                code=f"{code}{i:03d}", name=name, level=UnitLevel.COMMUNE, kind="xã"
            )
        )
    province.refresh_from_db()
    return province, communes


_counter = {"n": 0}


def learners_add(unit: Unit, *, learners: int, completed: int, programme) -> None:
    """`learners` people registered on `unit`, the first `completed` of whom
    finished the programme."""
    assert completed <= learners
    start = _counter["n"]
    _counter["n"] += learners
    users = User.objects.bulk_create(
        [
            User(
                username=f"tđ{start + i}",
                password=PASSWORD,
                full_name=f"Người {start + i}",
                unit=unit,
            )
            for i in range(learners)
        ]
    )
    ProgrammeCompletion.objects.bulk_create(
        [
            ProgrammeCompletion(
                user=u, programme=programme, completed_at=timezone.now()
            )
            for u in users[:completed]
        ]
    )


def assign(province: Unit, programme) -> None:
    Assignment.objects.create(
        programme=programme,
        unit=province,
        starts_on=date(2026, 1, 1),
        due_on=date(2026, 12, 31),
    )


def target_set(unit: Unit, programme, learners: int) -> None:
    UnitTarget.objects.update_or_create(
        unit=unit, programme=programme, defaults={"learners": learners}
    )


def figures_up() -> None:
    maintained.backfill()
