from django.urls import path

from . import package_views, views

urlpatterns = [
    path("khoa-hoc/<int:course_id>/dang-ky/", views.course_enrol, name="course_enrol"),
    path(
        "bai-hoc/<int:lesson_id>/hoan-thanh/",
        views.lesson_mark_done,
        name="lesson_mark_done",
    ),
    path("cua-toi/", views.my_courses, name="my_courses"),
]

# Mounted at /goi-noi-dung/ (hocvuso/urls.py): a package's files, sandboxed.
package_urlpatterns = [
    path("<uuid:uuid>/", package_views.package_player, name="content_package_player"),
    path(
        "<uuid:uuid>/<path:path>",
        package_views.package_file,
        name="content_package_file",
    ),
]
