"""Issue 25 part 2: each learning event writes its xAPI statements into the
outbox, in the event's own transaction, naming the learner only by a random
key; nothing is written for a site without an LRS."""

import json
import uuid

import pytest
from django.test import override_settings
from hocvuso.orgunits.selectors import admin_scope_get
from hocvuso.privacy.services import erasure_carry_out, erasure_request
from hocvuso.xapi.models import LearnerKey, LrsSettings, Statement
from hocvuso.xapi.statements import StatementInvalid, statement_check

from certificates.services import certificate_issue
from courses.models import CourseCompletion, LessonPage
from courses.services import enrolment_create
from tests.completion_helpers import final_test_take, lessons_complete

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


def _bodies(user=None) -> list[dict]:
    rows = Statement.objects.order_by("id")
    if user is not None:
        rows = rows.filter(user=user)
    return [row.body for row in rows]


def _summary(bodies) -> list[tuple[str, str]]:
    return [(b["verb"]["id"].rsplit("/", 1)[1], b["object"]["id"]) for b in bodies]


def test_a_learners_way_through_a_course_is_told_in_statements(
    xapi_world, make_learner
):
    learner = make_learner(
        full_name="Nguyễn Thị Mai",
        phone="+84912000111",
        email="mai@example.org",
        unit=xapi_world.tree.communes[0],
    )
    course, quiz = xapi_world.course, xapi_world.quiz
    lessons_complete(learner, course)
    final_test_take(learner, quiz)
    completion = CourseCompletion.objects.get(user=learner)
    certificate_issue(course_completion_id=completion.pk)

    bodies = _bodies()
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    root = "http://localhost"
    assert _summary(bodies) == [
        ("registered", f"{root}{course.url}"),
        ("completed", f"{root}{lessons[0].url}"),
        ("completed", f"{root}{lessons[1].url}"),
        ("attempted", f"{root}{quiz.url}"),
        ("passed", f"{root}{quiz.url}"),
        ("completed", f"{root}{course.url}"),
        ("earned", f"{root}{course.url}"),
    ]
    key = str(LearnerKey.objects.get(user=learner).key)
    for body in bodies:
        statement_check(body)
        assert body["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": f"{root}/", "name": key},
        }
        text = json.dumps(body, ensure_ascii=False)
        for personal in ("Nguyễn Thị Mai", "912000111", "mai@example.org"):
            assert personal not in text
        assert str(learner.pk) != key
    assert {b["id"] for b in bodies} == {
        str(i) for i in Statement.objects.values_list("statement_id", flat=True)
    }
    registered, lesson, _, attempted, passed = bodies[:5]
    assert registered["verb"]["id"] == f"{ADL}registered"
    assert registered["object"]["definition"] == {
        "name": {"vi-VN": course.title},
        "type": "http://adlnet.gov/expapi/activities/course",
    }
    assert lesson["object"]["definition"]["name"] == {"vi-VN": lessons[0].title}
    assert lesson["context"]["contextActivities"]["parent"][0]["id"] == (
        f"{root}{course.url}"
    )
    assert attempted["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    assert attempted["result"] == {
        "score": {"scaled": 1.0, "raw": 4.0, "min": 0, "max": 4.0},
        "success": True,
        "completion": True,
    }
    assert passed["verb"]["id"] == f"{ADL}passed"


def test_a_failed_test_is_attempted_without_success_and_not_passed(
    xapi_world, make_learner
):
    learner = make_learner(unit=xapi_world.tree.communes[0])
    enrolment_create(user=learner, course=xapi_world.course)
    final_test_take(learner, xapi_world.quiz, right=False)
    attempted = _bodies()[-1]
    assert attempted["verb"]["id"] == f"{ADL}attempted"
    assert attempted["result"]["success"] is False
    assert attempted["result"]["score"]["scaled"] < 0.5
    assert "passed" not in {b["verb"]["id"].rsplit("/", 1)[1] for b in _bodies()}


def test_a_lesson_completed_twice_is_one_statement(xapi_world, make_learner):
    learner = make_learner(unit=xapi_world.tree.communes[0])
    lessons_complete(learner, xapi_world.course)
    lessons_complete(learner, xapi_world.course)
    assert [v for v, _ in _summary(_bodies())].count("completed") == 2


def test_only_learners_of_a_site_with_its_lrs_on_get_statements(
    xapi_world, make_learner
):
    here = make_learner(unit=xapi_world.tree.communes[0])
    # Province 1 has its own site, which sends nothing.
    elsewhere = make_learner(unit=xapi_world.tree.communes[3])
    # No place given: the default site's learner, as for certificates.
    nowhere = make_learner()
    for user in (here, elsewhere, nowhere):
        enrolment_create(user=user, course=xapi_world.course)
    assert set(Statement.objects.values_list("user_id", flat=True)) == {
        here.pk,
        nowhere.pk,
    }
    assert set(Statement.objects.values_list("site_id", flat=True)) == {
        xapi_world.site.pk
    }

    xapi_world.config.enabled = False
    xapi_world.config.save()
    later = make_learner(unit=xapi_world.tree.communes[0])
    enrolment_create(user=later, course=xapi_world.course)
    assert not Statement.objects.filter(user=later).exists()


def test_the_other_sites_lrs_gets_its_own_learners_with_its_address(
    xapi_world, make_learner, lrs
):
    LrsSettings.objects.create(
        site=xapi_world.other_site, enabled=True, endpoint=lrs.url
    )
    learner = make_learner(unit=xapi_world.tree.villages[10])
    enrolment_create(user=learner, course=xapi_world.course)
    row = Statement.objects.get()
    assert row.site == xapi_world.other_site
    assert row.body["actor"]["account"]["homePage"] == "http://tinh1.localhost/"
    assert row.body["object"]["id"] == f"http://tinh1.localhost{xapi_world.course.url}"


def test_without_any_lrs_an_event_asks_nothing_more(
    org_tree, build_catalog, make_learner, django_assert_num_queries
):
    from courses.models import CoursePage

    build_catalog(courses=2, lessons=1)
    first, second = CoursePage.objects.order_by("path")
    learner = make_learner(unit=org_tree.communes[0])
    enrolment_create(user=learner, course=first)  # the routes are read here
    with override_settings(COURSES_LEARNING_RECORDED=""):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as without_hook:
            enrolment_create(user=learner, course=second)
    other = make_learner(unit=org_tree.communes[0])
    enrolment_create(user=other, course=first)
    with django_assert_num_queries(len(without_hook.captured_queries)):
        enrolment_create(user=other, course=second)
    assert not Statement.objects.exists()


def test_a_statement_event_rolls_back_with_its_event(xapi_world, make_learner):
    from django.db import transaction

    from courses.models import Enrolment

    learner = make_learner(unit=xapi_world.tree.communes[0])

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        enrolment_create(user=learner, course=xapi_world.course)
        assert Statement.objects.filter(user=learner).count() == 1
        raise Abort
    assert not Enrolment.objects.filter(user=learner).exists()
    assert not Statement.objects.filter(user=learner).exists()


def test_erasure_removes_the_learners_statements_and_key(xapi_world, make_learner):
    learner = make_learner(unit=xapi_world.tree.villages[0])
    neighbour = make_learner(unit=xapi_world.tree.villages[0])
    for user in (learner, neighbour):
        lessons_complete(user, xapi_world.course)
    assert Statement.objects.filter(user=learner).count() == 3

    admin = xapi_world.tree.admins["commune0.0"]
    erasure_carry_out(
        actor=admin,
        scope=admin_scope_get(user=admin),
        request=erasure_request(user=learner),
    )
    assert not Statement.objects.filter(user=learner).exists()
    assert not LearnerKey.objects.filter(user=learner).exists()
    assert Statement.objects.filter(user=neighbour).count() == 3


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s["actor"].update(mbox="mailto:mai@example.org"),
        lambda s: s["actor"]["account"].update(name="+84912000111"),
        lambda s: s.update(id="not-a-uuid"),
        lambda s: s["result"]["score"].update(scaled=1.5),
        lambda s: s["result"]["score"].update(raw="4"),
        lambda s: s["object"].update(id="khong co dia chi"),
        lambda s: s["verb"].update(display={"": "x"}),
        lambda s: s.update(timestamp="2026-12-07T10:00:00"),
        lambda s: s.update(authority={"mbox": "mailto:x@example.org"}),
    ],
)
def test_the_check_refuses_a_statement_that_breaks_the_rules(change):
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {
                "homePage": "https://hoc.example.vn/",
                "name": str(uuid.uuid4()),
            },
        },
        "verb": {"id": f"{ADL}attempted", "display": {"en-US": "attempted"}},
        "object": {
            "objectType": "Activity",
            "id": "https://hoc.example.vn/kiem-tra/",
            "definition": {
                "name": {"vi-VN": "Bài kiểm tra"},
                "type": "http://adlnet.gov/expapi/activities/assessment",
            },
        },
        "result": {"score": {"scaled": 0.5, "raw": 2, "min": 0, "max": 4}},
        "timestamp": "2026-12-07T10:00:00+07:00",
    }
    statement_check(statement)
    change(statement)
    with pytest.raises(StatementInvalid):
        statement_check(statement)
