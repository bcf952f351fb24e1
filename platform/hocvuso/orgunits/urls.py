from django.urls import path

from . import views

urlpatterns = [
    path("", views.admin_home, name="unit_admin_home"),
    path("don-vi/<str:code>/", views.unit_detail, name="unit_admin_detail"),
    path("don-vi/<str:code>/them-thon/", views.village_add, name="unit_village_add"),
    path("don-vi/<str:code>/them-to/", views.team_add, name="unit_team_add"),
]
