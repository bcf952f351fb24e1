from channels.auth import AuthMiddleware
from django.urls import path

from .consumers import LiveDashboardConsumer

websocket_urlpatterns = [
    # The dashboard checks an administrator's rights, so it loads the user
    # (scope["user"]); asgi.py gives every route only the session.
    path(
        "ws/bao-cao/truc-tiep/<str:code>/",
        AuthMiddleware(LiveDashboardConsumer.as_asgi()),
    ),
]
