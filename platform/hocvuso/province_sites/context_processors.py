from .selectors import request_look


def site_look(request):
    return {"site_look": request_look(request)}
