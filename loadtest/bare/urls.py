from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import path


def bare(request):
    """One row of a small table by primary key, a tiny response."""
    model = ContentType.objects.values_list("model", flat=True).get(pk=1)
    return HttpResponse(model, content_type="text/plain")


urlpatterns = [path("__bare/", bare)]
