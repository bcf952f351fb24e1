import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hocvuso.settings.production")

from hocvuso.core.page_state_handler import with_page_state_handler  # noqa: E402

application = with_page_state_handler(get_wsgi_application())
