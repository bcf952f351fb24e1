"""The CMS speaks Vietnamese to everyone (issue 24, item 10): the browser test
tests/browser/test_cms_vietnamese.py walks its screens; these check what a walk
does not reach."""

import pytest
from django import forms
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_cms_stays_vietnamese_after_english_was_chosen_on_the_site(
    client, make_learner
):
    editor = make_learner(username="bientap", is_superuser=True, is_staff=True)
    client.force_login(editor)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies["django_language"].value == "en"

    page = client.get("/cms/").text

    assert 'lang="vi"' in page
    assert "Chuyển đến nội dung chính" in page
    assert "Skip to main content" not in page


def test_an_english_preference_stored_before_is_dropped(make_learner):
    from importlib import import_module

    from django.apps import apps as django_apps
    from wagtail.users.models import UserProfile

    editor = make_learner(username="bientap", is_superuser=True, is_staff=True)
    UserProfile.get_for_user(editor).__class__.objects.filter(user=editor).update(
        preferred_language="en"
    )
    migration = import_module(
        "hocvuso.core.migrations.0002_cms_language_preferences_vietnamese"
    )
    migration.preferences_clear(django_apps, None)

    assert UserProfile.get_for_user(editor).get_preferred_language() == "vi"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (forms.DurationField(), "mười phút", "Nhập thời lượng hợp lệ."),
    ],
)
def test_form_errors_of_the_cms_are_vietnamese(field, value, message):
    with translation.override("vi"), pytest.raises(forms.ValidationError) as error:
        field.clean(value)
    assert error.value.messages == [message]
