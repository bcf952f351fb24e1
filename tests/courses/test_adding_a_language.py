"""docs/translations.md, "Adding a language", followed with a third
language: the settings line, the nginx map, a translated lesson read in it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from courses.models import CoursePage, LessonPage
from courses.translation_services import page_translation_save

NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy/nginx/hocvuso.conf"


def nginx_languages(conf: str) -> set[str]:
    """The language codes nginx keeps a copy of a shared page for."""
    found = re.search(
        r"map \$cookie_django_language \$hocvuso_language \{([^}]*)\}", conf
    )
    pairs = [part.split() for part in found.group(1).split(";") if part.strip()]
    return {value for _key, value in pairs}


def test_nginx_keeps_a_copy_per_language_of_the_site():
    """Step 2: a language missing from the map would be served the Vietnamese
    copy from the page cache."""
    codes = {code for code, _name in settings.LANGUAGES}
    assert nginx_languages(NGINX_CONF.read_text()) == codes


@pytest.mark.django_db
def test_a_third_language_added_by_the_procedure_reads_a_lesson(
    client, build_catalog, settings
):
    # Step 1: the settings line (Khmer, the language of the Khmer Krom).
    settings.LANGUAGES = [*settings.LANGUAGES, ("km", "ភាសាខ្មែរ")]
    build_catalog(courses=1, lessons=1)
    lesson = LessonPage.objects.child_of(CoursePage.objects.get()).get()
    # Step 3: a translation.
    page_translation_save(page=lesson, language="km", texts={"title": "មេរៀនទី ១"})

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "km"
    body = client.get(lesson.url).content.decode()
    assert "<h1>មេរៀនទី ១</h1>" in body
    assert 'lang="km"' in body  # the page says which language it is in
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "មេរៀនទី ១" not in client.get(lesson.url).content.decode()
