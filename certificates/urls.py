from django.urls import path

from . import views

# Mounted at /xac-minh/ (public) in hocvuso/urls.py.
verify_urlpatterns = [
    path("", views.verify_form, name="certificate_verify_form"),
    path("<str:code>/", views.verify, name="certificate_verify"),
    path("<str:code>/anh.png", views.certificate_png, name="certificate_png"),
]

# Mounted at /chung-nhan/.
urlpatterns = [
    path("", views.my_certificates, name="my_certificates"),
    path("<str:code>/tai-ve.pdf", views.certificate_pdf, name="certificate_pdf"),
]
