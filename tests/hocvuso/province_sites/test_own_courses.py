"""A province's own courses (issue 22): "the shared seven courses are reused,
and a province may add its own courses". A course owned by province B's site
is listed, opened, enrolled in and tested on B's host only; on A's it is a
404, its lessons, its test, the page state and the API included; the shared
course stays on both. Its completions count in B's reports as any course's."""

import json
import re

import pytest
from django.urls import reverse
from hocvuso.orgunits.models import AdminRole, AdminRoleKind
from wagtail.models import Site

from courses.models import CourseCompletion, CoursePage, Enrolment, LessonPage
from courses.services import enrolment_create, lesson_complete

from .conftest import HOST_B

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def courses(two_sites, build_catalog, make_quiz):
    """Two courses with a lesson each: the first owned by B, with a final
    test; the second shared."""
    build_catalog(courses=2, lessons=1)
    own, shared = CoursePage.objects.order_by("path")
    make_quiz(questions=2, draw=2)  # in the first course
    own.title = "Khóa học riêng của Tỉnh Thử 1"
    own.owner_site = two_sites.b.site
    own.save_revision().publish()
    return shared, CoursePage.objects.get(pk=own.pk)


def lesson_of(course):
    return LessonPage.objects.child_of(course).get()


def test_the_own_course_is_listed_only_on_its_site(client, courses):
    shared, own = courses
    catalog = shared.get_parent()
    on_a, on_b = (
        text(client.get(catalog.url)),
        text(client.get(catalog.url, HTTP_HOST=HOST_B)),
    )
    assert shared.title in on_a and shared.title in on_b
    assert own.title in on_b and own.title not in on_a
    home_a, home_b = text(client.get("/")), text(client.get("/", HTTP_HOST=HOST_B))
    assert own.title in home_b and own.title not in home_a


def test_its_pages_are_404_on_another_site(client, courses, learner):
    _shared, own = courses
    lesson = lesson_of(own)
    from quizzes.models import QuizPage

    quiz = QuizPage.objects.child_of(own).get()
    pages = [own, lesson, quiz]
    client.force_login(learner)
    for page in pages:
        assert client.get(page.url, HTTP_HOST=HOST_B).status_code == 200
        assert client.get(page.url).status_code == 404, page
        state = client.get(f"/api/me/state?page={page.pk}")
        assert state.status_code == 404
        state = client.get(f"/api/me/state?page={page.pk}", HTTP_HOST=HOST_B)
        assert state.status_code == 200


def test_no_enrolment_no_lesson_done_no_test_from_another_site(
    client, courses, learner
):
    shared, own = courses
    client.force_login(learner)
    response = client.post(reverse("course_enrol", args=[own.pk]))
    assert response.status_code == 404
    assert not Enrolment.objects.filter(course=own).exists()
    response = client.post(reverse("course_enrol", args=[shared.pk]))
    assert response.status_code == 302  # the shared course, on any site

    enrolment_create(user=learner, course=own)  # enrolled on B's site
    lesson = lesson_of(own)
    response = client.post(reverse("lesson_mark_done", args=[lesson.pk]))
    assert response.status_code == 404
    from quizzes.models import QuizPage

    quiz = QuizPage.objects.child_of(own).get()
    response = client.post(
        "/api/attempts",
        json.dumps({"quiz_id": quiz.pk}),
        content_type="application/json",
    )
    assert response.status_code == 404
    response = client.post(
        reverse("api:media_heartbeat"),
        json.dumps(
            {"media_id": 1, "lesson_id": lesson.pk, "position": 1, "watched": 1}
        ),
        content_type="application/json",
    )
    assert response.status_code == 404
    # On B's own host the same requests go through.
    response = client.post(
        reverse("lesson_mark_done", args=[lesson.pk]), HTTP_HOST=HOST_B
    )
    assert response.status_code == 302
    response = client.post(
        "/api/attempts",
        json.dumps({"quiz_id": quiz.pk}),
        content_type="application/json",
        HTTP_HOST=HOST_B,
    )
    assert response.status_code == 201


def test_my_courses_follow_the_site(client, courses, learner):
    shared, own = courses
    enrolment_create(user=learner, course=shared)
    enrolment_create(user=learner, course=own)
    client.force_login(learner)
    mine_a = text(client.get(reverse("my_courses")))
    mine_b = text(client.get(reverse("my_courses"), HTTP_HOST=HOST_B))
    assert shared.title in mine_a and own.title not in mine_a
    assert shared.title in mine_b and own.title in mine_b


def test_only_a_superuser_or_the_provinces_editor_sets_the_owner(
    client, courses, two_sites, django_user_model
):
    shared, own = courses
    editor = django_user_model.objects.create_user(
        username="bientap_b", password="x", phone="+84900000998"
    )
    AdminRole.objects.create(
        user=editor, role=AdminRoleKind.CONTENT_EDITOR, unit=two_sites.province_b
    )
    from courses.course_site_form import CoursePageForm, editor_site_ids

    assert editor_site_ids(editor) == {two_sites.b.site_id}
    form_class = CoursePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, CoursePageForm)

    def form(instance, owner, user):
        data = {"owner_site": owner.pk if owner else ""}
        bound = form_class(instance=instance, for_user=user)
        field = bound.fields["owner_site"]
        bound.cleaned_data = {"owner_site": field.clean(data["owner_site"])}
        return bound

    site_a = two_sites.a.site
    # The editor of B is offered B's site only.
    offered = form_class(instance=CoursePage(), for_user=editor).fields["owner_site"]
    assert list(offered.queryset) == [two_sites.b.site]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Chỉ quản trị viên hệ thống"):
        form(shared, two_sites.b.site, editor).clean_owner_site()
    with pytest.raises(ValidationError, match="Chỉ quản trị viên hệ thống"):
        form(own, None, editor).clean_owner_site()
    new = form(CoursePage(), two_sites.b.site, editor)
    assert new.clean_owner_site() == two_sites.b.site
    # A site outside the editor's choices is refused by the field itself.
    with pytest.raises(ValidationError):
        form(CoursePage(), site_a, editor)
    superuser = django_user_model.objects.create_superuser(
        username="quantri", password="x", phone="+84900000997"
    )
    assert form(own, site_a, superuser).clean_owner_site() == site_a
    assert Site.objects.count() == 2


def test_its_completions_count_in_its_provinces_report(
    courses, two_sites, make_learner, org_tree
):
    """Completions of the own course are rows like any other: B's report
    counts them, by the learner's place, as any course's."""
    from hocvuso.orgunits.selectors import admin_scope_get
    from hocvuso.reports.periods import Period
    from hocvuso.reports.selectors import completion_report_rows, subject_get

    _shared, own = courses
    commune_b = org_tree.communes[3]  # the first commune of province B
    learner = make_learner(unit=commune_b)
    # Its final test left out of the rule: its lesson completes it.
    own.completion_requires_test = False
    own.save_revision().publish()
    enrolment_create(user=learner, course=own)
    lesson_complete(user=learner, lesson=lesson_of(own))
    assert CourseCompletion.objects.filter(user=learner, course=own).exists()
    report = completion_report_rows(
        scope=admin_scope_get(user=org_tree.admins["province1"]),
        unit=two_sites.province_b,
        subject=subject_get(kind="course", pk=own.pk),
        period=Period(),
        audience="",
    )
    assert report.total.figures.completed == 1
    row = next(r for r in report.rows if r.code == commune_b.code)
    assert row.figures.completed == 1


def test_administrators_are_offered_only_their_provinces_own_courses(
    client, courses, org_tree
):
    """Assignments, report subjects and training classes list another
    province's own course to nobody but a superuser."""
    shared, own = courses
    cases = [
        (org_tree.admins["province0"], org_tree.provinces[0], False),
        (org_tree.admins["province1"], org_tree.provinces[1], True),
    ]
    for admin, province, offered in cases:
        client.force_login(admin)
        pages = [
            client.get(f"/quan-tri/don-vi/{province.code}/"),
            client.get(reverse("report_home"), follow=True),
            client.get(reverse("training_class_add", args=[province.code])),
        ]
        for page in pages:
            assert page.status_code == 200
            body = text(page)
            assert shared.title in body, page.request["PATH_INFO"]
            assert (own.title in body) is offered, page.request["PATH_INFO"]
