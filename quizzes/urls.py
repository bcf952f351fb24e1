from django.urls import path

from . import views

urlpatterns = [
    path("bat-dau/<int:quiz_id>/", views.quiz_start, name="quiz_start"),
    path("lam-bai/<int:attempt_id>/", views.attempt_page, name="quiz_attempt"),
    path(
        "lam-bai/<int:attempt_id>/nop/",
        views.attempt_submit_form,
        name="quiz_submit_form",
    ),
    path("ket-qua/<int:attempt_id>/", views.result_page, name="quiz_result"),
    path("sw.js", views.service_worker, name="quiz_service_worker"),
    path("ngoai-tuyen/", views.offline, name="quiz_offline"),
]
