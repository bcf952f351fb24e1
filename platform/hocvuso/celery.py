import os

from celery import Celery

# A worker or beat is a production process (the embedded default runs tasks
# eagerly, in the web process): without DJANGO_SETTINGS_MODULE it loads the
# production settings, which refuse to start without a real SECRET_KEY,
# instead of the development ones with DEBUG on and the public key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")

app = Celery("hocvuso")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
