"""403, 404, 500 and the CSRF failure page: Vietnamese, in the site's look."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

SITE_HEADER = '<header class="topbar">'


@pytest.mark.django_db
def test_learner_at_admin_pages_gets_a_vietnamese_403_with_the_site_header(
    client, learner
):
    client.force_login(learner)
    response = client.get("/quan-tri/")
    assert response.status_code == 403
    page = response.content.decode()
    assert SITE_HEADER in page
    assert "Bạn không có quyền xem trang này" in page
    assert "Forbidden" not in page


@pytest.mark.django_db
def test_unknown_address_gets_the_vietnamese_404(client, build_catalog):
    build_catalog(courses=1, lessons=1)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert SITE_HEADER in page
    assert "Không tìm thấy trang" in page


def test_500_renders_without_database_or_context_processors():
    # no django_db mark: any database access here fails the test
    response = server_error(RequestFactory().get("/khoa-hoc/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert SITE_HEADER in page
    assert "Đã có lỗi xảy ra" in page
    assert "Tiến độ học bạn đã lưu trước đó không bị mất" in page


@pytest.mark.django_db
def test_expired_form_gets_a_vietnamese_page_that_leads_back(build_catalog):
    build_catalog(courses=1, lessons=1)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/tai-khoan/login/",
        {"login": "0901000001", "password": "x"},
        HTTP_REFERER="http://testserver/tai-khoan/login/",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert SITE_HEADER in page
    assert "Trang đã hết hạn" in page
    assert 'href="http://testserver/tai-khoan/login/"' in page
    assert "CSRF" not in page


@pytest.mark.django_db
def test_expired_form_never_leads_off_site(build_catalog):
    build_catalog(courses=1, lessons=1)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/tai-khoan/login/", {}, HTTP_REFERER="https://ke-gian.example/bay/"
    )
    assert response.status_code == 403
    assert "ke-gian.example" not in response.content.decode()


@pytest.mark.django_db
def test_a_missing_image_does_not_swallow_the_message_meant_for_the_next_page(
    client, make_learner, settings
):
    # A phone still loading a missing image when it follows a redirect gets
    # the 404 after the redirect: the message the redirect carried must
    # survive to the page it was meant for.
    settings.ADMIN_MFA_REQUIRED = True
    client.force_login(make_learner(is_staff=True))
    redirect = client.get("/quan-tri/")
    assert redirect.status_code == 302

    assert client.get("/media/images/khong-co.webp").status_code == 404

    page = client.get(redirect["Location"], follow=True).content.decode()
    assert "phải bật xác thực hai bước" in page
