from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import urls as certificate_urls
from courses import urls as course_urls
from hocvuso.accounts import import_urls
from hocvuso.accounts import urls as account_urls
from hocvuso.accounts import views as account_views
from hocvuso.api import api
from hocvuso.campaigns import urls as campaign_urls
from hocvuso.core import views as core_views
from hocvuso.core.page_state import page_state
from hocvuso.orgunits import urls as orgunit_urls
from hocvuso.privacy import urls as privacy_urls
from hocvuso.province_sites import views as province_site_views
from hocvuso.reports import urls as report_urls
from hocvuso.training import urls as training_urls
from quizzes import urls as quiz_urls

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("hien-thi/co-chu/", core_views.text_size_toggle, name="text_size_toggle"),
    path("hien-thi/mau.css", province_site_views.site_colours, name="site_colours"),
    path("i18n/", include("django.conf.urls.i18n")),
    # One way in by password, allauth's (its limits, phone verification): the
    # login pages of the CMS, Wagtail's private pages and the Django admin
    # only send there.
    path("cms/login/", account_views.login_elsewhere, {"default_next": "/cms/"}),
    path("_util/login/", account_views.login_elsewhere),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("tai-khoan/du-lieu/", include(privacy_urls.learner_urlpatterns)),
    path("tai-khoan/", include(account_urls)),
    path("tai-khoan/", include("allauth.urls")),
    path("hoc/", include(course_urls)),
    path("goi-noi-dung/", include(course_urls.package_urlpatterns)),
    path("kiem-tra/", include(quiz_urls)),
    path("chung-nhan/", include(certificate_urls)),
    path("xac-minh/", include(certificate_urls.verify_urlpatterns)),
    path(".well-known/", include(certificate_urls.well_known_urlpatterns)),
    path("api/me/state", page_state, name="page_state"),
    path("api/", api.urls),
    path("quan-tri/nhap/", include(import_urls)),
    path("quan-tri/bao-cao/", include(report_urls)),
    path("quan-tri/", include(privacy_urls.admin_urlpatterns)),
    path("quan-tri/", include(training_urls.admin_urlpatterns)),
    path("quan-tri/", include(campaign_urls.admin_urlpatterns)),
    path("quan-tri/", include(orgunit_urls)),
    path("diem-danh/", include(training_urls.learner_urlpatterns)),
    path("bang-thi-dua/", include(campaign_urls.board_urlpatterns)),
    path("lti/", include("hocvuso.lti.urls")),
]

if settings.DJANGO_ADMIN_ENABLED:
    urlpatterns += [
        path(
            "django-admin/login/",
            account_views.login_elsewhere,
            {"default_next": "/django-admin/"},
        ),
        path("django-admin/", admin.site.urls),
    ]

if settings.DEBUG:
    # nginx serves media in production (deploy/nginx/hocvuso.conf).
    from django.urls import re_path

    from hocvuso.core.media import media_serve

    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media_serve)
    )

urlpatterns.append(path("", include(wagtail_urls)))
