from django.urls import path

from . import views

# Under /tai-khoan/du-lieu/: the learner's own data.
learner_urlpatterns = [
    path("", views.my_data, name="privacy_my_data"),
    path(
        "tai/<str:fmt>/",
        views.my_data_download,
        name="privacy_my_data_download",
    ),
    path("sua/", views.my_data_correct, name="privacy_my_data_correct"),
    path("rut-dong-y/", views.my_consent_withdraw, name="privacy_consent_withdraw"),
    path("yeu-cau-xoa/", views.my_erasure_request, name="privacy_erasure_request"),
]

# Under /quan-tri/: the requests of a unit's learners, and the access log.
admin_urlpatterns = [
    path("yeu-cau-du-lieu/", views.request_queue, name="privacy_requests"),
    path(
        "yeu-cau-du-lieu/<int:pk>/",
        views.request_detail,
        name="privacy_request_detail",
    ),
    path(
        "yeu-cau-du-lieu/<int:pk>/xoa/",
        views.request_erase,
        name="privacy_request_erase",
    ),
    path("nhat-ky-truy-cap/", views.access_log, name="privacy_access_log"),
]
