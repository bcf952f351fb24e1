# Websocket routes are added by the features that need them (quiz deadlines,
# live dashboards).
websocket_urlpatterns: list = []
