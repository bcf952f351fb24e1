from django.urls import path

from . import views

urlpatterns = [
    path("to/<int:team_id>/", views.team_detail, name="team_detail"),
    path(
        "to/<int:team_id>/them-nguoi/",
        views.team_person_add_view,
        name="team_person_add",
    ),
    path("", views.admin_home, name="unit_admin_home"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_admin_detail"),
    path("don-vi/<str:code>/them-thon/", views.village_add, name="unit_village_add"),
    path("don-vi/<str:code>/them-to/", views.team_add, name="unit_team_add"),
    path(
        "don-vi/<str:code>/giao-khoa-hoc/",
        views.assignment_add,
        name="unit_assignment_add",
    ),
    path("don-vi/<str:code>/chi-tieu/", views.target_set, name="unit_target_set"),
    path(
        "giao-khoa-hoc/<int:pk>/bo/",
        views.assignment_remove,
        name="unit_assignment_remove",
    ),
]
