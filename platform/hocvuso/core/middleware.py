from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Vietnamese for everyone unless they picked another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on a
    phone bought abroad or set to English would turn the platform English for
    a learner who never asked for it. Only the language switch (cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), with the one
    exception Wagtail's admin needs: its panels and widgets set inline styles,
    so /cms/ alone may use them. Scripts stay files-only everywhere."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith("/cms/"):
            parts.update = {**(parts.update or {}), "style-src": UNSAFE_INLINE}
        return parts
