from django.urls import path

from . import views

admin_urlpatterns = [
    path("chien-dich/", views.campaign_list, name="campaign_list"),
    path("chien-dich/<int:pk>/", views.campaign_edit, name="campaign_edit"),
    path("don-vi/<str:code>/chien-dich/them/", views.campaign_add, name="campaign_add"),
]

board_urlpatterns = [
    path("", views.board_view, name="campaign_board"),
    path("<str:code>/", views.board_view, name="campaign_board_unit"),
]
