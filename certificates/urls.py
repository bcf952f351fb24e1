from django.urls import path

from . import credential_views, views

# Mounted at /xac-minh/ (public) in hocvuso/urls.py. The verifiable
# credentials' paths come first: "chung-chi-so/" would otherwise be read as
# a certificate's code.
verify_urlpatterns = [
    path("", views.verify_form, name="certificate_verify_form"),
    path(
        "chung-chi-so/",
        credential_views.credential_verify_page,
        name="credential_verify_page",
    ),
    path(
        "chung-chi-so/kiem-tra",
        credential_views.credential_verify_api,
        name="credential_verify_api",
    ),
    path(
        "chung-chi-so/don-vi-cap",
        credential_views.credential_issuer,
        name="credential_issuer",
    ),
    path(
        "chung-chi-so/khoa/<str:key_id>",
        credential_views.credential_key,
        name="credential_key",
    ),
    path(
        "chung-chi-so/trang-thai",
        credential_views.credential_status_list,
        name="credential_status_list",
    ),
    path("<str:code>/", views.verify, name="certificate_verify"),
    path("<str:code>/anh.png", views.certificate_png, name="certificate_png"),
]

# Mounted at /chung-nhan/.
urlpatterns = [
    path("", views.my_certificates, name="my_certificates"),
    path("<str:code>/tai-ve.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "<str:code>/chung-chi-so.jwt",
        credential_views.certificate_credential_download,
        name="certificate_credential",
    ),
]

# Mounted at the site's root: where JOSE verifiers look for the key set.
well_known_urlpatterns = [
    path("jwks.json", credential_views.credential_jwks, name="credential_jwks"),
]
