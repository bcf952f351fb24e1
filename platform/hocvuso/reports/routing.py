from django.urls import path

from .consumers import LiveDashboardConsumer

websocket_urlpatterns = [
    path("ws/bao-cao/truc-tiep/<str:code>/", LiveDashboardConsumer.as_asgi()),
]
