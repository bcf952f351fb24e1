from django.urls import path

from . import views

urlpatterns = [
    path("dang-nhap/", views.login_initiation, name="lti_login"),
    path("khoi-chay/", views.launch, name="lti_launch"),
    path("vao/<str:ticket>/", views.entry, name="lti_entry"),
    path("lien-ket/", views.deep_link_answer, name="lti_deep_link_answer"),
    path("jwks/", views.jwks, name="lti_jwks"),
]
