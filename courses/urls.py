from django.urls import path

from . import views

urlpatterns = [
    path("khoa-hoc/<int:course_id>/dang-ky/", views.course_enrol, name="course_enrol"),
    path(
        "bai-hoc/<int:lesson_id>/hoan-thanh/",
        views.lesson_mark_done,
        name="lesson_mark_done",
    ),
    path("cua-toi/", views.my_courses, name="my_courses"),
]
