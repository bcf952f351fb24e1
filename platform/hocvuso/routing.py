from quizzes.routing import websocket_urlpatterns as quiz_websockets

websocket_urlpatterns = [*quiz_websockets]
