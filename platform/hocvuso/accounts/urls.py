from django.urls import path

from . import views

urlpatterns = [
    path("dong-y/", views.consent, name="consent"),
    path("ho-so/", views.profile, name="profile"),
    path("ho-so/dia-ban/", views.place_fields, name="profile_place_fields"),
    path("noi-song/", views.place_choose, name="place_choose"),
    # Same path as allauth's, matched first: see views.verify_phone.
    path("phone/verify/", views.verify_phone, name="account_verify_phone"),
]
