from datetime import timedelta

import pytest
from django.utils import timezone
from hocvuso.orgunits.services import team_membership_set
from hocvuso.training.services import training_class_create

from courses.models import CoursePage


@pytest.fixture
def courses(build_catalog):
    build_catalog(courses=2, lessons=1)
    return list(CoursePage.objects.order_by("topic_number"))


@pytest.fixture
def commune(org_tree):
    return org_tree.communes[0]


@pytest.fixture
def villages(org_tree):
    return org_tree.villages[:3]  # the three villages of commune 0.0


@pytest.fixture
def members(org_tree, villages, make_learner):
    """Two members in the first village's team, one in the second's."""
    out = []
    for village, count in ((villages[0], 2), (villages[1], 1)):
        for _ in range(count):
            person = make_learner(unit=village)
            team_membership_set(team_id=org_tree.teams[village.code].pk, user=person)
            out.append(person)
    return out


@pytest.fixture
def make_class(org_tree, commune, villages, courses):
    def make(**fields):
        now = timezone.now()
        values = {
            "created_by": org_tree.admins["commune0.0"],
            "unit": commune,
            "title": "Lớp kỹ năng số",
            "course": courses[0],
            "kind": "in_person",
            "place": "Hội trường xã",
            "starts_at": now + timedelta(days=10),
            "ends_at": now + timedelta(days=10, hours=3),
            "trainer": "Nguyễn Văn Giảng",
            "capacity": 40,
            "invited_units": villages[:2],
        }
        values.update(fields)
        return training_class_create(**values)

    return make
