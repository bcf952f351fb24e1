"""The CMS's chooser of video and audio lists the newest first and searches by
title (issue 24, item 12)."""

import pytest

from courses.models import LessonMedia

from .media_helpers import ready_media

pytestmark = pytest.mark.django_db

CHOOSER = "/cms/snippets/choose/courses/lessonmedia/"


def _titles(response) -> list[str]:
    """The media titles in the chooser, in the order shown."""
    # The chooser opens as JSON for the modal; its search answers plain HTML.
    is_json = response["Content-Type"].startswith("application/json")
    html = response.json()["html"] if is_json else response.text
    shown = [
        (html.index(m.title), m.title)
        for m in LessonMedia.objects.all()
        if m.title in html
    ]
    return [title for _at, title in sorted(shown)]


@pytest.fixture
def editor_client(client, make_learner):
    client.force_login(
        make_learner(username="bientap", is_superuser=True, is_staff=True)
    )
    return client


def test_the_newest_media_comes_first_and_search_finds_by_title(editor_client):
    for title in ("Cài đặt VNeID", "Nộp hồ sơ trực tuyến", "Đăng ký tài khoản"):
        media = ready_media()
        media.title = title
        media.save()

    listing = editor_client.get(CHOOSER)
    assert _titles(listing) == [
        "Đăng ký tài khoản",
        "Nộp hồ sơ trực tuyến",
        "Cài đặt VNeID",
    ]
    assert "Tìm theo tên" in listing.json()["html"]

    found = editor_client.get(CHOOSER + "results/", {"q": "hồ sơ"})
    assert _titles(found) == ["Nộp hồ sơ trực tuyến"]


@pytest.mark.parametrize("query", ["\x00", "a" * 5000, "%", "' OR 1=1 --"])
def test_a_hostile_search_is_not_an_error(editor_client, query):
    ready_media()
    response = editor_client.get(CHOOSER + "results/", {"q": query})
    assert response.status_code == 200
