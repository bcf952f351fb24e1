import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_says_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


@pytest.mark.django_db
def test_vietnamese_even_when_the_browser_asks_for_english(client, build_catalog):
    build_catalog(courses=1, lessons=1)
    response = client.get("/khoa-hoc/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()
    assert "Tất cả khóa học" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_is_remembered(client, build_catalog):
    build_catalog(courses=1, lessons=1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/khoa-hoc/"})
    response = client.get("/khoa-hoc/")
    assert response["Content-Language"] == "en"
    assert "All courses" in response.content.decode()


@pytest.mark.django_db
def test_large_text_switch_is_remembered_without_javascript(client, build_catalog):
    build_catalog(courses=1, lessons=1)
    response = client.post("/hien-thi/co-chu/", {"next": "/khoa-hoc/"})
    assert response.status_code == 302 and response["Location"] == "/khoa-hoc/"
    assert 'class="large-text"' in client.get("/khoa-hoc/").content.decode()
    client.post("/hien-thi/co-chu/", {"next": "/khoa-hoc/"})
    assert 'class="large-text"' not in client.get("/khoa-hoc/").content.decode()


@pytest.mark.django_db
def test_text_switch_never_redirects_off_site(client):
    response = client.post("/hien-thi/co-chu/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
