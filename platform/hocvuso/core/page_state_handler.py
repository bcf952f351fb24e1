"""A shorter middleware chain for the learner's frequent requests.

Every view of a shared page asks for its state (core.page_state), every
lesson ends with "Hoàn thành bài học", every answer of a test is autosaved:
these few requests are most of what a learner costs the servers (issue 17).
Of the site's twenty middleware they need half; the others do nothing for
them whatever the request, and cost them more than a query (about a
quarter of a web worker's CPU at 8,000 exam-takers, py-spy):

- content security, permissions and frame policies: headers for documents,
  and these answers are JSON sent with nosniff, or a redirect;
- gzip: nginx compresses JSON (deploy/nginx/hocvuso.conf);
- the public-page cache, the Wagtail site (course_sites finds it without),
  CommonMiddleware's slash redirects, Wagtail's redirects and allauth's: they
  act on pages, on 404s or on /accounts/;
- the administrators' second factor and the CMS guard: other paths only.

What can change these answers stays, in the same order: security headers,
no-store, the session, the language, CSRF, the user, messages, the printed
password that must be changed, the shared phone's cookie.
tests/hocvuso/test_page_state_handler.py (state, "done") and
tests/quizzes/test_exam_hot_paths.py (start, autosave, submit) hold the two
chains to the same answers.
"""

import re

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string

PAGE_STATE_PATH = "/api/me/state"

# The page state; "Hoàn thành bài học"; a test's start, autosave and submit
# (courses/urls.py, quizzes/api.py).
FREQUENT_PATHS = re.compile(
    r"/api/me/state"
    r"|/hoc/bai-hoc/\d+/hoan-thanh/"
    r"|/api/attempts(/\d+/answers/\d+|/\d+/submit)?"
)

PAGE_STATE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hocvuso.core.middleware.PersonalPagesNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hocvuso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "hocvuso.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hocvuso.accounts.middleware.PasswordChangeRequiredMiddleware",
    "hocvuso.accounts.middleware.SharedPhoneMiddleware",
]


class PageStateHandler(WSGIHandler):
    """Django's own request handling (URL resolution, view middleware,
    exception responses), over PAGE_STATE_MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        assert set(PAGE_STATE_MIDDLEWARE) <= set(settings.MIDDLEWARE)
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(PAGE_STATE_MIDDLEWARE):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(
                    instance.process_template_response
                )
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


def with_page_state_handler(application):
    """The site's WSGI application, with the learner's frequent requests
    (FREQUENT_PATHS) sent to PageStateHandler."""
    page_state = PageStateHandler()

    def dispatch(environ, start_response):
        if FREQUENT_PATHS.fullmatch(environ.get("PATH_INFO", "")):
            return page_state(environ, start_response)
        return application(environ, start_response)

    return dispatch
