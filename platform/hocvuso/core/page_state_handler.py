"""The page state's own, shorter middleware chain.

Every view of a shared page asks for its state (core.page_state), so this one
small JSON request is most of what a learner costs the servers (issue 17). Of
the site's twenty middleware it needs half; the others do nothing for it
whatever the request, and cost it more than its query:

- content security, permissions and frame policies: headers for documents,
  and this answer is JSON sent with nosniff;
- gzip: nginx compresses JSON (deploy/nginx/hocvuso.conf);
- the public-page cache, the Wagtail site, CommonMiddleware's slash
  redirects, Wagtail's redirects and allauth's: they act on pages, on 404s
  or on /accounts/;
- the administrators' second factor and the CMS guard: other paths only.

What can change this answer stays, in the same order: security headers,
no-store, the session, the language, CSRF, the user, messages, the printed
password that must be changed, the shared phone's cookie.
tests/hocvuso/test_page_state_handler.py holds the two chains to the same
answers.
"""

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string

PAGE_STATE_PATH = "/api/me/state"

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
    """The site's WSGI application, with the page state's requests sent to
    PageStateHandler."""
    page_state = PageStateHandler()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == PAGE_STATE_PATH:
            return page_state(environ, start_response)
        return application(environ, start_response)

    return dispatch
