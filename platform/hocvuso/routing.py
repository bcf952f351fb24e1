from hocvuso.reports.routing import websocket_urlpatterns as report_websockets
from quizzes.routing import websocket_urlpatterns as quiz_websockets

websocket_urlpatterns = [*quiz_websockets, *report_websockets]
