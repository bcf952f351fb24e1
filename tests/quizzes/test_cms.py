import pytest
from django.test import RequestFactory

from courses.models import CoursePage

from ..conftest import add_question

pytestmark = pytest.mark.django_db


def test_editors_edit_questions_in_the_cms_with_a_preview(
    client, make_learner, build_catalog
):
    build_catalog(courses=1, lessons=1)
    question = add_question(CoursePage.objects.get(), kind="multiple", correct=(0, 2))
    client.force_login(make_learner(is_superuser=True, is_staff=True))
    assert client.get("/cms/snippets/quizzes/question/").status_code == 200
    edit = client.get(f"/cms/snippets/quizzes/question/edit/{question.pk}/")
    assert edit.status_code == 200 and question.text in edit.content.decode()
    preview = question.make_preview_request(RequestFactory().get("/"), "")
    html = (
        preview.render().content.decode()
        if hasattr(preview, "render")
        else (preview.content.decode())
    )
    assert question.text in html and question.explanation in html
    assert html.count('type="checkbox"') == 4
