from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("dong-y/", views.consent, name="consent"),
    path("ho-so/", views.profile, name="profile"),
    path("ho-so/dia-ban/", views.place_fields, name="profile_place_fields"),
    path("noi-song/", views.place_choose, name="place_choose"),
    # Same path as allauth's, matched first: see views.verify_phone.
    path("phone/verify/", views.verify_phone, name="account_verify_phone"),
    # allauth's page to add or remove identity providers on one's account:
    # identities reach an account only through the login (social_adapter).
    path(
        "3rdparty/",
        RedirectView.as_view(pattern_name="profile"),
        name="socialaccount_connections",
    ),
    # allauth's sign-up form after an identity provider: see the view.
    path(
        "3rdparty/signup/",
        views.identity_signup_retry,
        name="socialaccount_signup",
    ),
]
