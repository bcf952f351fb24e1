"""What the caches of the page path must never get wrong: an editor's change
shows at once, and each learner sees only their own progress."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, Site

from courses.models import CatalogPage, CoursePage, LessonPage
from courses.services import enrolment_create, lesson_complete

from ..page_state_helpers import page_state, visit


@pytest.fixture
def course(build_catalog):
    build_catalog(courses=1, lessons=3)
    return CoursePage.objects.get()


def _lessons(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.mark.django_db
def test_republished_lesson_shows_its_new_content_at_once(client, course, learner):
    enrolment_create(user=learner, course=course)
    lesson = _lessons(course)[0]
    client.force_login(learner)
    assert "Bài học thử nghiệm" in client.get(lesson.url).content.decode()

    lesson.body = [("text", "<p>Nội dung mới sau khi biên tập.</p>")]
    lesson.title = "Tiêu đề mới"
    lesson.save_revision().publish()

    page = client.get(lesson.url).content.decode()
    assert "Nội dung mới sau khi biên tập." in page
    assert "Tiêu đề mới" in page
    assert "Bài học thử nghiệm" not in page


@pytest.mark.django_db
def test_two_learners_each_see_their_own_progress(
    client, course, make_learner, django_user_model
):
    ahead, behind = make_learner(), make_learner()
    lessons = _lessons(course)
    for user in (ahead, behind):
        enrolment_create(user=user, course=course)
    for lesson in lessons[:2]:
        lesson_complete(user=ahead, lesson=lesson)

    for _round in range(2):  # the second round is served from warm caches
        client.force_login(ahead)
        assert "Đã học 2/3 bài" in visit(client, course)[0]
        assert page_state(client, lessons[2])["redirect"] is None
        client.force_login(behind)
        assert "Đã học 0/3 bài" in visit(client, course)[0]
        # Still locked for the learner who has not done the first two.
        assert page_state(client, lessons[2])["redirect"] == course.url


@pytest.mark.django_db
def test_a_changed_site_root_is_used_at_once(client, course, learner):
    client.force_login(learner)
    assert client.get("/").status_code == 200  # the site is now cached
    catalog = CatalogPage.objects.get()
    site = Site.objects.get(is_default_site=True)
    site.root_page = catalog
    site.save()

    # The catalogue is now the root: the course is found one level up.
    response = client.get(f"/{course.slug}/")
    assert response.status_code == 200
    assert course.title in response.content.decode()


@pytest.mark.django_db
def test_an_unpublished_lesson_is_gone_at_once(client, course, learner):
    enrolment_create(user=learner, course=course)
    lesson = _lessons(course)[0]
    client.force_login(learner)
    assert client.get(lesson.url).status_code == 200
    url = lesson.url

    lesson.unpublish()

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_new_view_restriction_applies_at_once(client, course, learner):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    assert client.get(course.url).status_code == 200

    staff_only = Group.objects.create(name="Chỉ cán bộ")
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(staff_only)

    response = client.get(course.url)
    assert response.status_code == 302
    assert "/dang-nhap/" in response.url or "login" in response.url


@pytest.mark.django_db
def test_a_lesson_added_to_a_course_is_listed_and_counted_at_once(
    client, course, learner
):
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    first = _lessons(course)[0]
    assert "Đã học 0/3 bài" in visit(client, course)[0]
    # The lesson's state too: its course and outline are also kept in each
    # process, under the same generation.
    assert "Đã học 0/3 bài" in page_state(client, first)["parts"]["progress"]

    course.add_child(
        instance=LessonPage(
            title="Bài bổ sung về mật khẩu",
            slug="bai-bo-sung",
            body=[("text", "<p>Mật khẩu mạnh có ít nhất 12 ký tự.</p>")],
        )
    )

    page = visit(client, course)[0]
    assert "Đã học 0/4 bài" in page
    assert "Bài bổ sung về mật khẩu" in page
    assert "Đã học 0/4 bài" in page_state(client, first)["parts"]["progress"]


@pytest.mark.django_db
def test_a_restricted_page_is_never_shared_with_the_caches(client, course, learner):
    lesson = _lessons(course)[0]
    assert client.get(lesson.url)["X-Accel-Expires"]  # shared while open to all
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(learner)
    for page in (course, lesson):
        response = client.get(page.url)
        assert response.status_code == 200
        assert "X-Accel-Expires" not in response
        assert "public" not in response.get("Cache-Control", "")
    restriction.delete()
    assert client.get(lesson.url)["X-Accel-Expires"]
